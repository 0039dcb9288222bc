package dev.filestaging.adapter.jersey.files;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problems;
import java.time.Duration;

/** The body of a request for a signed link, and the answer. */
final class LinkRequest {
    /** Strict: one JSON value and nothing after it, each key once (the last of two would silently win). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String FIELD = "expiresInSeconds";

    /** @param url the link; @param expiresAt ISO-8601, UTC; @param file the version it reads */
    record LinkJson(String url, String expiresAt, FileJson file) {}

    private LinkRequest() {}

    private static final int MAX_BODY_BYTES = 4096;

    /** The request body as text; a body over 4 KiB is refused. */
    static String smallBody(java.io.InputStream entity) {
        try {
            byte[] body = entity.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw Problems.invalidLifetime("the body of a link request is a small JSON object, at most "
                        + MAX_BODY_BYTES + " bytes");
            }
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw ProblemMapper.bodyFailure(e);
        }
    }

    /**
     * {@code {"expiresInSeconds": N}}, or an empty body (or {@code {}}) for {@code defaultLifetime}. Anything else is
     * refused rather than half-read: another JSON value ({@code []}, {@code null}), another key (a misspelt one would
     * silently give the default), or text after the object.
     */
    static Duration lifetimeOf(String body, Duration defaultLifetime) {
        if (body == null || body.isBlank()) {
            return defaultLifetime;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw malformed();
        }
        if (request == null || !request.isObject()) {
            throw malformed();
        }
        for (java.util.Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(FIELD)) {
                throw Problems.invalidLifetime("a link request has one field, " + FIELD + "; not '"
                        + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'");
            }
        }
        JsonNode seconds = request.get(FIELD);
        if (seconds == null) {
            return defaultLifetime;
        }
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong()) {
            throw Problems.invalidLifetime(FIELD + " must be a whole number of seconds");
        }
        return Duration.ofSeconds(seconds.asLong());
    }

    private static ApiProblem malformed() {
        return Problems.invalidLifetime("the body must be a JSON object such as {\"" + FIELD
                + "\": 3600}, or empty");
    }
}
