package dev.filestaging.adapter.jersey.console;

import dev.filestaging.adapter.jersey.problems.Problems;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * The web console: a page and its scripts, served from the jar at {@code /console/} ({@code /} leads there). The page
 * holds no data; everything it shows it asks the API for with the credentials the user signs in with, so serving it
 * needs none. Uppy (the upload widget) is vendored under {@code console/vendor/}: see {@code VENDORED.txt} there.
 */
@Path("")
public final class ConsoleResource {
    /**
     * Nothing inline and nothing from elsewhere: scripts and styles are the jar's own files, and the page talks only to
     * this origin. Uppy sets element styles from script (the CSSOM), which style-src does not govern.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";
    private static final String ROOT = "dev/filestaging/adapter/jersey/console/";
    private static final Map<String, String> OWN = Map.of(
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    private static final Map<String, String> VENDORED = Map.of(
            "uppy.min.mjs", "text/javascript; charset=utf-8",
            "uppy.min.css", "text/css; charset=utf-8",
            "LICENSE", "text/plain; charset=utf-8",
            "VENDORED.txt", "text/plain; charset=utf-8");

    /** The root leads to the console, relatively, so it works under any prefix a proxy adds. */
    @GET
    public Response root() {
        return Response.status(303).header("Location", "console/").build();
    }

    /** The page; {@code /console} is sent to {@code /console/}, which its relative references need. */
    @GET
    @Path("console")
    public Response page(@Context UriInfo uri) {
        if (!uri.getPath(false).endsWith("/")) {
            return Response.status(308).header("Location", "console/").build();
        }
        return JarFiles.page(file("index.html", "text/html; charset=utf-8", "no-cache"), CONTENT_SECURITY_POLICY)
                .build();
    }

    /** Ours: revalidated on every visit (they change with each release; Uppy's bundle does not). */
    @GET
    @Path("console/{asset}")
    public Response own(@PathParam("asset") String asset) {
        return listed(OWN, "", asset, "no-cache");
    }

    @GET
    @Path("console/vendor/{asset}")
    public Response vendored(@PathParam("asset") String asset) {
        return listed(VENDORED, "vendor/", asset, "public, max-age=3600");
    }

    /** Only the files listed, with their types: nothing else under the resource folder is served. */
    private static Response listed(Map<String, String> files, String folder, String asset, String cacheControl) {
        String type = files.get(asset);
        if (type == null) {
            throw Problems.http(404, "Not Found");
        }
        return file(folder + asset, type, cacheControl).build();
    }

    private static Response.ResponseBuilder file(String name, String type, String cacheControl) {
        return JarFiles.stream(ROOT + name, type).header("Cache-Control", cacheControl);
    }
}
