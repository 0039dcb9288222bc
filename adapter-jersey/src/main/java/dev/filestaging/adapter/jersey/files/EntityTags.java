package dev.filestaging.adapter.jersey.files;

import dev.filestaging.ports.StoredFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entity tags as clients send them in {@code If-Match}, {@code If-None-Match} and {@code If-Range} (RFC 9110 §8.8.3):
 * {@code [W/]"opaque"}, in comma-separated lists. Read strictly, in one pass over the header (linear in its length,
 * whatever a client sends): a list with anything else in it is malformed, never half-read.
 */
final class EntityTags {
    private EntityTags() {}

    /** One entity tag: its opaque value without the quotes, and whether it is weak. */
    record Tag(String opaque, boolean weak) {
        /** RFC 9110 §8.8.3.2: both strong and the same characters. */
        boolean strongMatch(StoredFile file) {
            return !weak && opaque.equals(opaqueOf(file));
        }

        /** RFC 9110 §8.8.3.2: the same characters, either or both weak. */
        boolean weakMatch(StoredFile file) {
            return opaque.equals(opaqueOf(file));
        }
    }

    /** The opaque value of a version's ETag (its id, new with every upload), as {@link ContentAnswer#etagOf} sends it. */
    static String opaqueOf(StoredFile file) {
        return file.id().toString();
    }

    /** A list that is {@code *}: any current version. */
    static boolean isAny(String header) {
        return header.strip().equals("*");
    }

    /**
     * The tags of a {@code #entity-tag} list (empty elements are allowed, RFC 9110 §5.6.1.2), or empty when the
     * header is malformed: an unquoted tag, a character outside {@code etagc}, anything after a closing quote but
     * whitespace and a comma.
     */
    static Optional<List<Tag>> list(String header) {
        List<Tag> tags = new ArrayList<>();
        int at = 0;
        int length = header.length();
        while (at < length) {
            char c = header.charAt(at);
            if (c == ' ' || c == '\t' || c == ',') {
                at++;
                continue;
            }
            int end = tagEnd(header, at);
            if (end < 0) {
                return Optional.empty();
            }
            tags.add(tagAt(header, at, end));
            at = end;
            // after a tag: optional whitespace, then a comma or the end
            while (at < length && (header.charAt(at) == ' ' || header.charAt(at) == '\t')) {
                at++;
            }
            if (at < length && header.charAt(at) != ',') {
                return Optional.empty();
            }
        }
        return Optional.of(tags);
    }

    /** Exactly one entity tag and nothing else but surrounding whitespace, or empty. */
    static Optional<Tag> single(String header) {
        String value = header.strip();
        int end = tagEnd(value, 0);
        return end == value.length() && end > 0 ? Optional.of(tagAt(value, 0, end)) : Optional.empty();
    }

    /** The index after the entity tag starting at {@code from}, or -1 if none starts there. */
    private static int tagEnd(String text, int from) {
        int at = from;
        if (text.startsWith("W/", at)) {
            at += 2;
        }
        if (at >= text.length() || text.charAt(at) != '"') {
            return -1;
        }
        for (at++; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == '"') {
                return at + 1;
            }
            if (!(c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF))) {
                return -1; // etagc: no controls, spaces, DEL or quotes inside
            }
        }
        return -1;
    }

    private static Tag tagAt(String text, int from, int end) {
        boolean weak = text.startsWith("W/", from);
        return new Tag(text.substring(from + (weak ? 3 : 1), end - 1), weak);
    }
}
