package dev.filestaging.app;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A file name as one URL path segment, every reserved character percent-encoded. */
final class FilesResourcePaths {
    private FilesResourcePaths() {}

    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
