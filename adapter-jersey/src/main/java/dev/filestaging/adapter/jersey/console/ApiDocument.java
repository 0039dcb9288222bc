package dev.filestaging.adapter.jersey.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI 3.1 document of this API, written by hand in {@code openapi.yaml} (the contract, reviewed like code)
 * and served as it is and as JSON. YAML anchors in it share response sets between the two address forms; the JSON
 * form has them expanded.
 */
final class ApiDocument {
    private static final String RESOURCE = "/dev/filestaging/adapter/jersey/openapi.yaml";

    private final byte[] yaml;
    private final byte[] json;

    private ApiDocument(byte[] yaml, byte[] json) {
        this.yaml = yaml;
        this.json = json;
    }

    /** Reads the document from the classpath; a document that does not parse is a build defect, so it fails here. */
    static ApiDocument load() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            byte[] yaml = in.readAllBytes();
            Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(new java.io.ByteArrayInputStream(yaml));
            return new ApiDocument(yaml, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    byte[] yaml() {
        return yaml.clone();
    }

    byte[] json() {
        return json.clone();
    }
}
