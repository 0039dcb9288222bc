package dev.filestaging.adapter.jersey.files;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code cont} token of a paged listing: the last name of the page, base64url-encoded so that it is opaque to
 * clients and safe in a query string. Holding a name rather than an offset keeps a walk stable while files come and
 * go: the next page starts after that name, wherever it now is.
 */
final class ContinuationToken {
    private static final String VERSION = "n1.";

    private ContinuationToken() {}

    static String of(String lastName) {
        return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    /** The name to continue after. @throws ApiProblem 400 when the token was not made by {@link #of} */
    static String nameOf(String token) {
        if (token.startsWith(VERSION)) {
            try {
                String name = new String(Base64.getUrlDecoder().decode(token.substring(VERSION.length())),
                        StandardCharsets.UTF_8);
                if (!name.isEmpty() && of(name).equals(token)) {
                    return name;
                }
            } catch (IllegalArgumentException malformed) {
                // answered below
            }
        }
        throw Problems.invalidQuery("cont", "is not a continuation token from an earlier page; start without it");
    }
}
