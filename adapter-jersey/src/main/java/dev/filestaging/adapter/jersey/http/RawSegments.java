package dev.filestaging.adapter.jersey.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Arrays;
import java.util.List;
import org.glassfish.jersey.uri.UriComponent;

/**
 * The segments of a request's path as the client sent them, each percent-decoded on its own.
 *
 * <p>Why not {@code @PathParam}: JAX-RS reads a {@code ;} in a segment as the start of matrix parameters and drops
 * it and what follows, so {@code DELETE /v1/files/report;v2.csv} would address {@code report}. RFC 3986 allows a raw
 * {@code ;} in a segment, and Java's {@code URI}, Node's {@code URL} and OkHttp leave it unencoded; a file name is
 * therefore always the whole raw segment. No route of this API uses matrix parameters.
 */
public final class RawSegments {
    private RawSegments() {}

    /** The decoded segments of the path under the application's root, in order; an empty path has none. */
    public static List<String> of(ContainerRequestContext request) {
        String raw = request.getUriInfo().getPath(false);
        if (raw.startsWith("/")) {
            raw = raw.substring(1);
        }
        if (raw.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(raw.split("/", -1))
                .map(segment -> UriComponent.decode(segment, UriComponent.Type.PATH_SEGMENT))
                .toList();
    }

    /** The last segment, decoded: the file name of {@code /v1/files/{name}} and its project-scoped form. */
    public static String last(ContainerRequestContext request) {
        return fromEnd(request, 0);
    }

    /** The segment {@code back} places before the last, decoded: 1 is the name of {@code .../{name}/content}. */
    public static String fromEnd(ContainerRequestContext request, int back) {
        List<String> segments = of(request);
        return segments.size() <= back ? "" : segments.get(segments.size() - 1 - back);
    }
}
