package dev.filestaging.adapter.jersey.files;

import dev.filestaging.adapter.jersey.http.ContinueGate;
import dev.filestaging.adapter.jersey.http.TransferSlots;
import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.ContentSlice;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.ReadFile;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The headers of a file-content answer, for GET and HEAD alike. The stored bytes go out as they are: a gzipped file is
 * {@code application/gzip}, never {@code Content-Encoding: gzip}, so clients do not inflate it and ranges count stored
 * bytes.
 */
public final class ContentAnswer {
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final int WRITE_BYTES = 32 * 1024;

    private ContentAnswer() {}

    /** Content may be kept by the client, and is revalidated with its ETag before each use. */
    static final String CACHE_CONTROL = "private, no-cache";

    /** How a GET of content finds the version to read: its metadata alone, or a range of its bytes. */
    public record Source(Supplier<Optional<StoredFile>> current, Function<ByteRange, Optional<StoredContent>> opener) {}

    /**
     * The answer to GET of a file's content: the source opens a range of the version to read, or gives empty when
     * there is none (answered with {@code missing}). Conditions are checked against the version opened. A conditional
     * GET looks at the current metadata first, so a 304 or 412 opens nothing in storage (on S3, no GET of the object).
     */
    public static Response get(String name, ContainerRequestContext request, Transfer transfer,
                        Source source, Supplier<ApiProblem> missing) {
        Function<ByteRange, Optional<StoredContent>> opener = source.opener();
        ByteRange range = RangeHeader.parse(request.getHeaderString("Range"));
        if (Preconditions.present(request) || request.getHeaderString("If-Range") != null) {
            StoredFile current = source.current().get().orElseThrow(missing);
            Response unchanged = unchanged(name, current, request);
            if (unchanged != null) {
                return unchanged;
            }
            if (range != ByteRange.WHOLE && !IfRange.holds(request.getHeaderString("If-Range"), current)) {
                range = ByteRange.WHOLE;
            }
        }
        StoredContent opened = opener.apply(range).orElseThrow(missing);
        try {
            Response unchanged = unchanged(name, opened.file(), request);
            if (unchanged != null) {
                opened.close();
                return unchanged;
            }
            if (range != ByteRange.WHOLE && !IfRange.holds(request.getHeaderString("If-Range"), opened.file())) {
                opened.close();
                opened = opener.apply(ByteRange.WHOLE).orElseThrow(missing);
            }
            if (opened.slice() instanceof ContentSlice.Unsatisfiable) {
                throw Problems.rangeNotSatisfiable(name, opened.file().sizeBytes());
            }
            TransferSlots.Slot slot = transfer.slot().get();
            // Released when the request ends, however it ends: also when the body is never written (the client left).
            StoredContent streamed = opened;
            transfer.atRequestEnd().add(slot::close);
            transfer.atRequestEnd().add(streamed::close);
            return headers(streamed.file(), streamed.slice())
                    .entity(body(streamed.content(), slot, ContinueGate.abortOf(request))).build();
        } catch (RuntimeException refused) {
            opened.close(); // a 412, 416 or 503 reads nothing; closing twice is harmless
            throw refused;
        }
    }

    /**
     * What a download holds while it streams: a transfer slot (taken from {@code slot}, which throws the 503 when there
     * is none for this reader), and the request's closer, which releases the slot and the storage stream when the
     * request ends.
     */
    public record Transfer(Supplier<TransferSlots.Slot> slot, org.glassfish.jersey.server.CloseableService atRequestEnd) {}

    /**
     * {@code 307} to where the storage serves the version itself (it honours {@code Range} there), after the
     * conditions are checked against that version here.
     */
    static Response redirect(ReadFile.DirectRead direct, ContainerRequestContext request) {
        Response unchanged = unchanged(direct.file().name(), direct.file(), request);
        if (unchanged != null) {
            return unchanged;
        }
        return Response.temporaryRedirect(direct.url()).tag(etagOf(direct.file()))
                .lastModified(lastModifiedOf(direct.file())).build();
    }

    /** The headers the storage should answer a direct read with: the same type and name as this service sends. */
    static Map<String, String> storageHeaders(StoredFile file) {
        return Map.of("Content-Type", mediaTypeOf(file), "Content-Disposition", dispositionOf(file.name()),
                "Cache-Control", CACHE_CONTROL);
    }

    /** What GET would answer, without the bytes and without reading them from storage. */
    public static Response head(StoredFile file, ContainerRequestContext request) {
        Response unchanged = unchanged(file.name(), file, request);
        if (unchanged != null) {
            return unchanged;
        }
        ByteRange range = RangeHeader.parse(request.getHeaderString("Range"));
        if (!IfRange.holds(request.getHeaderString("If-Range"), file)) {
            range = ByteRange.WHOLE;
        }
        ContentSlice slice = range.within(file.sizeBytes());
        if (slice instanceof ContentSlice.Unsatisfiable) {
            throw Problems.rangeNotSatisfiable(file.name(), file.sizeBytes());
        }
        return headers(file, slice).build();
    }

    /**
     * 304 when the client has this version ({@code If-None-Match}, or {@code If-Modified-Since} as
     * {@link Preconditions} reads dates); 412 for a failed {@code If-Match} or {@code If-Unmodified-Since}; null when
     * the request is to be answered in full. A 304 carries the validators and caching headers the 200 would
     * (RFC 9110 §15.4.5), so a cache keeps treating the stored answer as the 200 said.
     */
    static Response unchanged(String name, StoredFile file, ContainerRequestContext request) {
        return switch (Preconditions.evaluate(request, file, java.time.Instant.now())) {
            case PROCEED -> null;
            case FAILED -> throw Problems.preconditionFailed(name);
            case NOT_MODIFIED -> Response.notModified(etagOf(file)).lastModified(lastModifiedOf(file))
                    .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL).build();
        };
    }

    /** Status, validators, type, disposition, length and, for a part, {@code Content-Range}; no body. */
    static Response.ResponseBuilder headers(StoredFile file, ContentSlice slice) {
        Response.ResponseBuilder answer = Response.status(slice instanceof ContentSlice.Part ? 206 : 200)
                .tag(etagOf(file))
                .lastModified(lastModifiedOf(file))
                .type(mediaTypeOf(file))
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", CACHE_CONTROL)
                .header("Content-Disposition", dispositionOf(file.name()))
                .header(HttpHeaders.CONTENT_LENGTH, slice.length());
        if (slice instanceof ContentSlice.Part part) {
            answer.header("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + part.fileSize());
        }
        return answer;
    }

    /**
     * Copies {@code content} to the response, then closes it and frees the slot. A failure midway (storage failing, or
     * the reader taking nothing for the write stall timeout) cuts the response short with {@code abort}: the
     * connection is closed at once, so neither the slot nor the worker thread waits any longer for that reader.
     */
    static StreamingOutput body(InputStream content, TransferSlots.Slot slot, Runnable abort) {
        return output -> {
            try (slot; InputStream in = content) {
                copy(in, output);
            } catch (java.io.IOException failed) {
                abort.run();
                throw failed;
            }
        };
    }

    /**
     * Written in slices of {@link #WRITE_BYTES}: a write waits while the connection's queue is full, and is given up
     * (the response cut, the slot freed) when the reader takes nothing for the write stall timeout; small slices make
     * that mean "took less than a slice in that time", so only a reader that (nearly) stopped loses its slot.
     */
    private static void copy(InputStream in, OutputStream out) throws java.io.IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int read; (read = in.read(buffer)) >= 0; ) {
            for (int written = 0; written < read; written += WRITE_BYTES) {
                out.write(buffer, written, Math.min(WRITE_BYTES, read - written));
            }
        }
    }

    static EntityTag etagOf(StoredFile file) {
        return new EntityTag(file.id().toString());
    }

    /** HTTP dates have whole seconds. */
    static Date lastModifiedOf(StoredFile file) {
        return Date.from(file.uploadedOn().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** What the bytes are as stored: the compression when there is one (the outer format), else the data format. */
    static String mediaTypeOf(StoredFile file) {
        if (file.compressionFormat() != null) {
            return switch (file.compressionFormat()) {
                case GZ -> "application/gzip";
                case BZ2 -> "application/x-bzip2";
                case XZ -> "application/x-xz";
                case ZSTD -> "application/zstd";
                case SZ -> "application/x-snappy-framed";
            };
        }
        DataFormat data = file.dataFormat();
        if (data == null) {
            return "application/octet-stream";
        }
        return switch (data) {
            case CSV -> "text/csv";
            case TSV -> "text/tab-separated-values";
            case ND_JSON -> "application/x-ndjson";
            case PARQUET -> "application/vnd.apache.parquet";
            case ORC -> "application/x-orc";
            case AVRO_OCF -> "application/avro";
        };
    }

    /** RFC 6266: an ASCII {@code filename} for old clients and the exact name as {@code filename*} (RFC 8187). */
    static String dispositionOf(String name) {
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%'
                ? (char) c : '_'));
        String exact = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + exact;
    }
}
