package dev.filestaging.adapter.jersey.multipart;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problems;
import java.io.IOException;
import java.io.InputStream;

/**
 * Finds the one file part of a multipart/form-data body and streams it: nothing is buffered beyond one read of the
 * body, nothing goes to temp files.
 *
 * <p>The file's stream ends where the file part ends; the rest of the body is read and checked by
 * {@link FilePart#checkRest()} (no second file, a bounded number of small fields), which the caller runs before it
 * commits anything, so a request that turns out to be invalid never stages a file.
 */
public final class MultipartFileReader {

    static final int MAX_PARTS = 16;
    static final int MAX_PART_HEADER_BYTES = 8192;
    static final int MAX_FIELD_BYTES = 64 * 1024;
    static final String FILE_FIELD = "file";
    /** Fields whose text a file part keeps when they come before it: what the upload is about to need. */
    public static final java.util.Set<String> KEPT_FIELDS = java.util.Set.of("expiresAfterSeconds");
    /** The longest kept field: a number. */
    static final int MAX_KEPT_FIELD_BYTES = 64;

    /**
     * The file part: the name, media type and Content-MD5 header the client gave it (the last two may be null), and
     * the {@link #KEPT_FIELDS} sent before it.
     */
    public static final class FilePart {
        private final java.util.Map<String, String> fieldsBefore = new java.util.HashMap<>();
        private final String fileName;
        private final String mediaType;
        private final String contentMd5;
        private final MultipartCursor parts;
        private final InputStream content;
        private int seen;

        private FilePart(String fileName, String mediaType, String contentMd5, MultipartCursor parts, int seen) {
            this.fileName = fileName;
            this.mediaType = mediaType;
            this.contentMd5 = contentMd5;
            this.parts = parts;
            this.seen = seen;
            this.content = new PartContent(parts);
        }

        public String fileName() {
            return fileName;
        }

        public String mediaType() {
            return mediaType;
        }

        public String contentMd5() {
            return contentMd5;
        }

        /** The text of a {@link #KEPT_FIELDS} field sent before the file (the last one, if sent twice), or empty. */
        public java.util.Optional<String> fieldBefore(String name) {
            return java.util.Optional.ofNullable(fieldsBefore.get(name));
        }

        /** The file's bytes, to the end of its part; a body that breaks the multipart syntax fails the read. */
        public InputStream content() {
            return content;
        }

        /**
         * Reads the parts after the file, once its content was read to its end, and refuses the request if they break
         * the form's rules.
         *
         * @throws ApiProblem  a second file, too many parts, a malformed body
         * @throws IOException reading the body failed
         */
        public void checkRest() throws IOException {
            try {
                while (parts.nextPart()) {
                    if (++seen > MAX_PARTS) {
                        throw Problems.tooManyParts(MAX_PARTS);
                    }
                    Disposition disposition = Disposition.of(parts.header("content-disposition"),
                            parts.hadControlInQuotes("content-disposition"));
                    if (disposition.fileName() != null || FILE_FIELD.equals(disposition.fieldName())) {
                        throw Problems.multipleFiles();
                    }
                    if (disposition.fieldName() != null && KEPT_FIELDS.contains(disposition.fieldName())) {
                        // read only once the file is in: refused, rather than a file kept for another time than asked
                        throw Problems.invalidExpiry(disposition.fieldName() + " is read before the file: send it as"
                                + " a form field before the part 'file' (as in curl -F " + disposition.fieldName()
                                + "=3600 -F file=@data.csv), or as a query parameter");
                    }
                    drainField(parts, disposition.fieldName());
                }
            } catch (MultipartCursor.Malformed malformed) {
                throw Problems.malformedMultipart(malformed.getMessage());
            }
        }
    }

    public FilePart firstFile(String contentType, InputStream body) throws IOException {
        String boundary = boundaryOf(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw Problems.malformedMultipart("the Content-Type header names no boundary");
        }
        MultipartCursor parts = new MultipartCursor(boundary, MAX_PART_HEADER_BYTES, body);
        java.util.Map<String, String> kept = new java.util.HashMap<>();
        try {
            int seen = 0;
            while (parts.nextPart()) {
                if (++seen > MAX_PARTS) {
                    throw Problems.tooManyParts(MAX_PARTS);
                }
                Disposition disposition = Disposition.of(parts.header("content-disposition"),
                        parts.hadControlInQuotes("content-disposition"));
                boolean isFile = disposition.fileName() != null;
                if (isFile && FILE_FIELD.equals(disposition.fieldName())) {
                    FilePart file = new FilePart(disposition.fileName(), parts.header("content-type"),
                            parts.header("content-md5"), parts, seen);
                    file.fieldsBefore.putAll(kept);
                    return file;
                }
                if (isFile) {
                    throw Problems.missingFile("the file was sent in a part named '" + disposition.fieldName()
                            + "'; name the part 'file', as in curl -F 'file=@path/to/file'");
                }
                if (FILE_FIELD.equals(disposition.fieldName())) {
                    throw Problems.missingFile("the part 'file' holds text, not a file: with curl, put an @ before the"
                            + " path, as in -F 'file=@kttm-2019-08-20.json.gz'");
                }
                if (disposition.fieldName() != null && KEPT_FIELDS.contains(disposition.fieldName())) {
                    kept.put(disposition.fieldName(), keptField(parts, disposition.fieldName()));
                } else {
                    drainField(parts, disposition.fieldName());
                }
            }
        } catch (MultipartCursor.Malformed malformed) {
            throw Problems.malformedMultipart(malformed.getMessage());
        }
        throw Problems.missingFile("the request has no part named 'file'; send the file as"
                + " multipart/form-data, as in curl -F 'file=@path/to/file'");
    }

    /** The boundary parameter, whatever the case of its name (RFC 9110: parameter names are case-insensitive). */
    private static String boundaryOf(String contentType) {
        try {
            return HeaderParameters.parse(contentType).get("boundary");
        } catch (HeaderParameters.Malformed malformed) {
            throw Problems.malformedMultipart("the Content-Type header cannot be read: " + malformed.getMessage());
        }
    }

    /** A kept field's text, UTF-8, at most {@link #MAX_KEPT_FIELD_BYTES}. */
    private static String keptField(MultipartCursor parts, String fieldName) throws IOException {
        byte[] text = new byte[MAX_KEPT_FIELD_BYTES + 1];
        int length = 0;
        int n;
        while (length < text.length && (n = parts.read(text, length, text.length - length)) != -1) {
            length += n;
        }
        if (length > MAX_KEPT_FIELD_BYTES) {
            throw Problems.malformedMultipart("form field '" + fieldName + "' is longer than " + MAX_KEPT_FIELD_BYTES
                    + " bytes");
        }
        return new String(text, 0, length, java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private static void drainField(MultipartCursor parts, String fieldName) throws IOException {
        byte[] sink = new byte[8192];
        long total = 0;
        int n;
        while ((n = parts.read(sink, 0, sink.length)) != -1) {
            total += n;
            if (total > MAX_FIELD_BYTES) {
                throw Problems.malformedMultipart("form field '" + fieldName + "' is larger than "
                        + MAX_FIELD_BYTES + " bytes");
            }
        }
    }

    /**
     * The form-data name and file name of a part. The file name is exactly what the client sent ({@code filename*} of
     * RFC 7578/8187 preferred over {@code filename}), or the part is refused: a name is never changed behind the
     * user's back.
     */
    private record Disposition(String fieldName, String fileName) {
        static Disposition of(String header, boolean controlInQuotes) {
            if (header == null) {
                return new Disposition(null, null);
            }
            HeaderParameters parameters;
            try {
                parameters = HeaderParameters.parse(header);
            } catch (HeaderParameters.Malformed malformed) {
                throw Problems.malformedMultipart("a Content-Disposition header cannot be read: " + malformed.getMessage());
            }
            if (!parameters.leading().equalsIgnoreCase("form-data")) {
                return new Disposition(null, null);
            }
            String name = parameters.get("name");
            String fileName = fileName(parameters);
            if (fileName != null && controlInQuotes) {
                // the parser handed a tab (or another control character) on as a space: refuse, never rename
                throw Problems.invalidName("the file name contains a control character such as a tab");
            }
            return new Disposition(name == null ? null : name.strip(), fileName);
        }

        private static String fileName(HeaderParameters parameters) {
            if (parameters.has("filename*")) {
                return HeaderParameters.decodeExtended(parameters.get("filename*")).orElseThrow(() ->
                        Problems.invalidName("filename* is not a valid RFC 8187 value (such as UTF-8''caf%C3%A9.csv)"));
            }
            String fileName = parameters.get("filename");
            // the part's headers are decoded as UTF-8 with U+FFFD for bytes that are not: refuse rather than rename
            if (fileName != null && fileName.indexOf('\uFFFD') >= 0) {
                throw Problems.invalidName("the file name is not valid UTF-8; send it in UTF-8, or as filename*=UTF-8''"
                        + " with percent-encoded bytes");
            }
            return fileName;
        }
    }

    /** One part's content as a stream. */
    private static final class PartContent extends InputStream {
        private final MultipartCursor parts;

        PartContent(MultipartCursor parts) {
            this.parts = parts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return parts.read(buffer, offset, length);
        }
    }
}
