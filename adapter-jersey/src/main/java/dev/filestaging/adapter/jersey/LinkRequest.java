package dev.filestaging.adapter.jersey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;

/** The body of a request for a signed link, and the answer. */
final class LinkRequest {
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** {@code {"expiresInSeconds": N}}, or an empty body for the default. */
    static Duration lifetimeOf(String body) {
        if (body == null || body.isBlank()) {
            return DEFAULT_LIFETIME;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw Problems.invalidLifetime("the body must be JSON such as {\"expiresInSeconds\": 3600}, or empty");
        }
        JsonNode seconds = request == null ? null : request.get("expiresInSeconds");
        if (seconds == null || seconds.isNull()) {
            return DEFAULT_LIFETIME;
        }
        if (!seconds.canConvertToLong() || !seconds.isIntegralNumber()) {
            throw Problems.invalidLifetime("expiresInSeconds must be a whole number of seconds");
        }
        return Duration.ofSeconds(seconds.asLong());
    }
}
