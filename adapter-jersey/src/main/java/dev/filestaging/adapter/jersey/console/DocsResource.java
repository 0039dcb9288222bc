package dev.filestaging.adapter.jersey.console;

import dev.filestaging.adapter.jersey.problems.ProblemType;
import dev.filestaging.adapter.jersey.problems.Problems;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The API document ({@code /openapi.json}, {@code /openapi.yaml}), Swagger UI showing it ({@code /docs/}, from the
 * {@code org.webjars:swagger-ui} jar), and the page every problem's {@code type} points to ({@code /docs/problems}).
 * None needs credentials: they describe the API, not anyone's files.
 */
@Path("")
public final class DocsResource {
    /** Swagger UI's scripts and styles are its own files; its inline styles are why style-src allows them. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "index.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    /** Read at the first request for them, not at start-up (parsing the document takes a YAML parser's warm-up). */
    private static final class Loaded {
        static final ApiDocument DOCUMENT = ApiDocument.load();
        static final String SWAGGER_UI_VERSION = webjarVersion();
    }

    @GET
    @Path("openapi.json")
    @Produces("application/json")
    public Response json() {
        return cacheable(Response.ok(Loaded.DOCUMENT.json(), "application/json"));
    }

    @GET
    @Path("openapi.yaml")
    public Response yaml() {
        return cacheable(Response.ok(Loaded.DOCUMENT.yaml(), "application/yaml; charset=utf-8"));
    }

    /** Swagger UI; {@code /docs} without the slash is sent to {@code /docs/}, which the relative references need. */
    @GET
    @Path("docs")
    @Produces("text/html")
    public Response swaggerUi(@Context UriInfo uri) {
        if (!uri.getPath(false).endsWith("/")) {
            return Response.status(308).location(URI.create(uri.getPath(false) + "/").normalize()).build();
        }
        // relative references only, so the page works under any prefix a proxy adds
        String page = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>Files staging service API</title>
                  <link rel="stylesheet" href="swagger-ui.css">
                  <link rel="stylesheet" href="index.css">
                  <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
                </head>
                <body>
                  <p><a href="problems">Problem codes</a> · <a href="../openapi.yaml">openapi.yaml</a>
                     · <a href="../openapi.json">openapi.json</a></p>
                  <div id="swagger-ui"></div>
                  <script src="swagger-ui-bundle.js"></script>
                  <script src="swagger-ui-standalone-preset.js"></script>
                  <script src="swagger-initializer.js"></script>
                </body>
                </html>
                """;
        return page(page);
    }

    /** Ours rather than the webjar's, which loads the Petstore example; a file, so no inline script is needed. */
    @GET
    @Path("docs/swagger-initializer.js")
    public Response initializer() {
        String script = """
                window.onload = function () {
                  window.ui = SwaggerUIBundle({
                    url: new URL("../openapi.json", window.location.href).toString(),
                    dom_id: "#swagger-ui",
                    deepLinking: true,
                    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                    layout: "StandaloneLayout"
                  });
                };
                """;
        return cacheable(Response.ok(script.getBytes(StandardCharsets.UTF_8), "text/javascript; charset=utf-8"));
    }

    @GET
    @Path("docs/problems")
    @Produces("text/html")
    public Response problems() {
        StringBuilder rows = new StringBuilder();
        for (ProblemType type : ProblemType.values()) {
            rows.append("<tr id=\"").append(type.code()).append("\"><td><code>").append(type.code())
                    .append("</code></td><td>").append(escape(type.title())).append("</td><td>")
                    .append(escape(type.meaning())).append("</td></tr>\n");
        }
        String page = """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Problem codes</title>
                <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:.3em;vertical-align:top}
                tr:target{background:#ffd}</style></head>
                <body>
                <h1>Problem codes</h1>
                <p>Errors are <code>application/problem+json</code> (RFC 9457). Switch on <code>code</code>; show
                <code>detail</code> to people; quote <code>instance</code> (the request id) to the operator.
                The <a href="./">API document</a> says which answers each route gives.</p>
                <table><tr><th>code</th><th>title</th><th>meaning</th></tr>
                %s</table>
                </body>
                </html>
                """.formatted(rows);
        return page(page);
    }

    @GET
    @Path("docs/{asset}")
    public Response asset(@PathParam("asset") String asset) {
        String type = ASSETS.get(asset);
        if (type == null) {
            throw Problems.http(404, "Not Found");
        }
        // streamed from the jar: the bundle is 1.6 MB, not worth a copy in the heap per request
        return cacheable(JarFiles.stream(WEBJAR + Loaded.SWAGGER_UI_VERSION + "/" + asset, type));
    }

    private static Response page(String html) {
        return JarFiles.page(Response.ok(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"),
                CONTENT_SECURITY_POLICY).build();
    }

    /** The same for the life of the process; an hour keeps browsers from asking for 2 MB of scripts on every visit. */
    private static Response cacheable(Response.ResponseBuilder answer) {
        return answer.header("Cache-Control", "public, max-age=3600").build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The webjar's version, from its Maven metadata, so no locator library is needed to find its files. */
    private static String webjarVersion() {
        try (InputStream in = DocsResource.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the org.webjars:swagger-ui jar is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
