package dev.filestaging.adapter.jersey;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Checks real answers against the OpenAPI 3.1 document: the route and status are documented, the content type is
 * one the answer may have, and the body and documented headers validate against their schemas (JSON Schema 2020-12
 * with the OpenAPI 3.1 dialect, by networknt's validator, {@code $ref}s resolved inside the document).
 *
 * <p>Why not swagger-request-validator: on a 3.1 document it validates no schema types at all (a {@code sizeBytes}
 * documented as a string passed), so it could not fail.
 */
public final class DocumentedAnswers {
    private static final String IRI = "https://files.test/openapi.json";

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final List<String> mismatches = new ArrayList<>();

    public DocumentedAnswers(String documentJson) {
        this.document = new ObjectMapper().readTree(documentJson);
        this.schemas = SchemaRegistry.withDialect(OpenApi31.getInstance(),
                builder -> builder.schemas(Map.of(IRI, documentJson)));
    }

    /** What did not match so far, one line each. */
    public List<String> mismatches() {
        return List.copyOf(mismatches);
    }

    /** Checks {@code answer} to {@code method} on the route {@code template} (as the document spells it). */
    public void check(String method, String template, HttpResponse<String> answer) {
        String where = method + " " + template + " -> " + answer.statusCode();
        String operation = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        if (document.at(operation).isMissingNode()) {
            mismatches.add(where + ": the route is not documented");
            return;
        }
        String status = operation + "/responses/" + answer.statusCode();
        if (document.at(status).isMissingNode()) {
            mismatches.add(where + ": the status is not documented");
            return;
        }
        String response = resolve(status);
        String contentType = answer.headers().firstValue("Content-Type").map(t -> t.split(";")[0].strip()).orElse(null);
        JsonNode content = document.at(response + "/content");
        if (content.isMissingNode()) {
            if (!answer.body().isEmpty()) {
                mismatches.add(where + ": a body where none is documented: " + answer.body());
            }
        } else if (!method.equals("HEAD") && answer.statusCode() != 304) {
            String mediaType = content.has(contentType == null ? "" : contentType) ? contentType : "*/*";
            if (!content.has(mediaType)) {
                mismatches.add(where + ": content type " + contentType + " is not one of " + content.propertyNames());
            } else if (mediaType.endsWith("json")) {
                validate(where + " body", response + "/content/" + escape(mediaType) + "/schema", answer.body());
            }
        }
        JsonNode headers = document.at(response + "/headers");
        for (String name : headers.propertyNames()) {
            answer.headers().firstValue(name).ifPresent(value -> {
                String header = resolve(response + "/headers/" + escape(name));
                String type = document.at(resolve(header + "/schema") + "/type").asString("");
                validate(where + " header " + name, header + "/schema",
                        type.equals("integer") ? value : new ObjectMapper().writeValueAsString(value));
            });
        }
    }

    private void validate(String what, String pointer, String json) {
        Schema schema = schemas.getSchema(SchemaLocation.of(IRI + "#" + pointer));
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        if (!errors.isEmpty()) {
            mismatches.add(what + ": " + errors + " in " + json);
        }
    }

    /** The pointer after following {@code $ref}s inside the document. */
    private String resolve(String pointer) {
        JsonNode node = document.at(pointer);
        while (node.has("$ref")) {
            pointer = node.get("$ref").asString().substring(1);
            node = document.at(pointer);
        }
        return pointer;
    }

    /** A JSON pointer token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
