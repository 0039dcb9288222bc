package dev.filestaging.adapter.jersey.console;

import dev.filestaging.adapter.jersey.problems.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/** Files served from the jar as they are (the console's, Swagger UI's), and the headers every HTML page of ours has. */
final class JarFiles {
    private JarFiles() {}

    /** The resource, streamed from the jar rather than copied into the heap per request; 404 when it is not there. */
    static Response.ResponseBuilder stream(String resource, String type) {
        ClassLoader loader = JarFiles.class.getClassLoader();
        if (loader.getResource(resource) == null) {
            throw Problems.http(404, "Not Found");
        }
        StreamingOutput body = out -> {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, type);
    }

    /** An HTML page under this policy, never framed (clickjacking), sending no referrer (its links may be signed). */
    static Response.ResponseBuilder page(Response.ResponseBuilder page, String contentSecurityPolicy) {
        return page.header("Content-Security-Policy", contentSecurityPolicy)
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }
}
