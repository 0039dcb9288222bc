package dev.filestaging.adapter.jersey;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * Finds the one file part of a multipart/form-data body and streams it, with commons-fileupload's streaming iterator:
 * nothing is buffered beyond the parser's small window, nothing goes to temp files.
 *
 * <p>The file's stream reports its end only after the rest of the body was read and checked (no second file, a
 * bounded number of small fields), so a caller that commits on end-of-stream never commits a request that turns out
 * to be invalid.
 */
final class MultipartFileReader {

    static final int MAX_PARTS = 16;
    static final int MAX_PART_HEADER_BYTES = 8192;
    static final int MAX_FIELD_BYTES = 64 * 1024;
    static final String FILE_FIELD = "file";

    /** The file part: the name and media type the client gave it (the latter may be null), and its content. */
    record FilePart(String fileName, String mediaType, InputStream content) {}

    /** A rule of the request's form broken after the file started; carries the answer for the client. */
    static final class Violation extends IOException {
        private final transient ApiProblem problem;

        Violation(ApiProblem problem) {
            super(problem.getMessage());
            this.problem = problem;
        }

        ApiProblem problem() {
            return problem;
        }
    }

    private final Parser parser = new Parser();

    FilePart firstFile(String contentType, long contentLength, InputStream body) throws IOException {
        FileItemInputIterator parts = parser.getItemIterator(new Body(contentType, contentLength, body));
        int seen = 0;
        while (parts.hasNext()) {
            FileItemInput part = parts.next();
            if (++seen > MAX_PARTS) {
                throw Problems.tooManyParts(MAX_PARTS);
            }
            boolean isFile = part.getName() != null;
            if (isFile && FILE_FIELD.equals(part.getFieldName())) {
                return new FilePart(part.getName(), part.getContentType(),
                        new CheckedEnd(part.getInputStream(), parts, seen));
            }
            if (isFile) {
                throw Problems.missingFile("the file was sent in a part named '" + part.getFieldName()
                        + "'; name the part 'file', as in curl -F 'file=@path/to/file'");
            }
            if (FILE_FIELD.equals(part.getFieldName())) {
                throw Problems.missingFile("the part 'file' holds text, not a file: with curl, put an @ before the"
                        + " path, as in -F 'file=@kttm-2019-08-20.json.gz'");
            }
            drainField(part);
        }
        throw Problems.missingFile("the request has no part named 'file'; send the file as"
                + " multipart/form-data, as in curl -F 'file=@path/to/file'");
    }

    private static void drainField(FileItemInput field) throws IOException {
        try (InputStream in = field.getInputStream()) {
            byte[] sink = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(sink)) != -1) {
                total += n;
                if (total > MAX_FIELD_BYTES) {
                    throw Problems.malformedMultipart("form field '" + field.getFieldName() + "' is larger than "
                            + MAX_FIELD_BYTES + " bytes");
                }
            }
        }
    }

    /** The file's content; at its end, reads and checks the parts after it. */
    private static final class CheckedEnd extends FilterInputStream {
        private final FileItemInputIterator parts;
        private int seen;
        private boolean checked;

        CheckedEnd(InputStream content, FileItemInputIterator parts, int seen) {
            super(content);
            this.parts = parts;
            this.seen = seen;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                checkRest();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                checkRest();
            }
            return n;
        }

        private void checkRest() throws IOException {
            if (checked) {
                return;
            }
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (++seen > MAX_PARTS) {
                    throw new Violation(Problems.tooManyParts(MAX_PARTS));
                }
                if (part.getName() != null || FILE_FIELD.equals(part.getFieldName())) {
                    throw new Violation(Problems.multipleFiles());
                }
                try {
                    drainField(part);
                } catch (ApiProblem problem) {
                    throw new Violation(problem);
                }
            }
            checked = true;
        }
    }

    /** commons-fileupload's parser without servlet API; we only ever stream. */
    private static final class Parser extends AbstractFileUpload<Body, DiskFileItem, DiskFileItemFactory> {
        Parser() {
            setHeaderCharset(StandardCharsets.UTF_8);
            setMaxPartHeaderSize(MAX_PART_HEADER_BYTES);
        }

        @Override
        public FileItemInputIterator getItemIterator(Body body) throws IOException {
            return super.getItemIterator((RequestContext) body);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(Body body) {
            throw new UnsupportedOperationException("uploads are streamed, never parsed whole");
        }

        @Override
        public List<DiskFileItem> parseRequest(Body body) {
            throw new UnsupportedOperationException("uploads are streamed, never parsed whole");
        }
    }

    private record Body(String contentType, long contentLength, InputStream body) implements RequestContext {
        @Override
        public String getCharacterEncoding() {
            return null;
        }

        @Override
        public long getContentLength() {
            return contentLength;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }
}
