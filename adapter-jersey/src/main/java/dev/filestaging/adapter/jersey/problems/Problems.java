package dev.filestaging.adapter.jersey.problems;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadOutcome.ContentProblem;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Every problem this API answers with, so codes and wording live in one place. */
public final class Problems {
    private Problems() {}

    static final String WWW_AUTHENTICATE = "Bearer realm=\"files\", Basic realm=\"files\"";

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(Problem.of(401, ProblemType.UNAUTHORIZED, detail),
                Map.of("WWW-Authenticate", WWW_AUTHENTICATE));
    }

    /** RFC 6750: tells OAuth clients the token itself is the problem, so they fetch a new one. */
    public static ApiProblem invalidToken(String detail) {
        String description = detail.replace('"', '\'').replace('\\', '/');
        return new ApiProblem(Problem.of(401, ProblemType.INVALID_TOKEN, detail),
                Map.of("WWW-Authenticate", "Bearer realm=\"files\", error=\"invalid_token\", error_description=\""
                        + description + "\""));
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(Problem.of(403, ProblemType.FORBIDDEN, detail));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(Problem.of(404, ProblemType.NOT_FOUND, detail));
    }

    public static ApiProblem originNotAllowed(String origin) {
        return new ApiProblem(Problem.of(403, ProblemType.ORIGIN_NOT_ALLOWED, "pages of " + origin
                + " may not call this API from a browser; the operator can allow the origin in FILES_HTTP_CORS_ORIGINS"));
    }

    public static ApiProblem fileNotFound(String name) {
        return new ApiProblem(Problem.of(404, ProblemType.FILE_NOT_FOUND,
                "no file named '" + name + "' is staged"));
    }

    public static ApiProblem preconditionFailed(String name) {
        return new ApiProblem(Problem.of(412, ProblemType.PRECONDITION_FAILED,
                "a condition of the request (If-Match, If-None-Match or If-Unmodified-Since) does not hold for the"
                        + " file named '" + name + "' (it was replaced or deleted, or it is the version If-None-Match"
                        + " names); nothing was changed. Get its metadata for its current ETag"));
    }

    /** RFC 9110 §15.5.17: the size goes in {@code Content-Range} so the client can ask again. */
    public static ApiProblem rangeNotSatisfiable(String name, long size) {
        return new ApiProblem(Problem.of(416, ProblemType.RANGE_NOT_SATISFIABLE,
                "no byte of the Range is in the file named '" + name + "', which has " + size + " bytes"),
                Map.of("Content-Range", "bytes */" + size));
    }

    public static ApiProblem invalidQuery(String parameter, String why) {
        return new ApiProblem(Problem.of(400, ProblemType.INVALID_QUERY,
                "the query parameter '" + parameter + "' " + why));
    }

    public static ApiProblem invalidLink(String reason) {
        return new ApiProblem(Problem.of(403, ProblemType.INVALID_LINK,
                reason + "; ask whoever gave you the link for a new one"));
    }

    public static ApiProblem linkExpired(java.time.Instant at) {
        return new ApiProblem(Problem.of(403, ProblemType.LINK_EXPIRED,
                "the link expired at " + at + "; ask whoever gave you the link for a new one"));
    }

    public static ApiProblem linkGone(String name) {
        return new ApiProblem(Problem.of(410, ProblemType.LINK_GONE,
                "the version of '" + name + "' this link reads was deleted or replaced by a new upload;"
                        + " a new link reads the current one"));
    }

    public static ApiProblem invalidLifetime(String detail) {
        return badRequest(ProblemType.INVALID_LIFETIME, detail);
    }

    static ApiProblem nameConflict(String name) {
        return new ApiProblem(Problem.of(409, ProblemType.NAME_CONFLICT,
                "the name '" + name + "' is taken, by a staged file or by a resumable upload in progress; delete"
                        + " the file (or terminate the upload) first, or upload under another name"),
                Map.of("Connection", "close"));
    }

    public static ApiProblem uploadTooLarge(long maxBytes) {
        return new ApiProblem(Problem.of(413, ProblemType.UPLOAD_TOO_LARGE,
                "one request may carry at most " + maxBytes + " bytes; compress the file or split it"),
                Map.of("Connection", "close"));
    }

    static ApiProblem quotaExceeded(SpaceUsage space) {
        return new ApiProblem(Problem.of(413, ProblemType.QUOTA_EXCEEDED,
                "the file does not fit in the staging area: " + space.remainingBytes() + " of "
                        + space.allocatedBytes() + " bytes are left; delete files you no longer need"),
                Map.of("Connection", "close"));
    }

    public static ApiProblem notMultipart(String contentType) {
        return new ApiProblem(Problem.of(415, ProblemType.NOT_MULTIPART,
                "upload the file as multipart/form-data with a part named 'file' (got "
                        + (contentType == null ? "no content type" : contentType)
                        + "); with curl: -F 'file=@path/to/file', and let the client set the Content-Type header"),
                Map.of("Connection", "close"));
    }

    public static ApiProblem missingFile(String detail) {
        return badRequest(ProblemType.MISSING_FILE, detail);
    }

    public static ApiProblem multipleFiles() {
        return badRequest(ProblemType.MULTIPLE_FILES,
                "send exactly one file per request, in a part named 'file'");
    }

    public static ApiProblem tooManyParts(int max) {
        return badRequest(ProblemType.TOO_MANY_PARTS,
                "the request has more than " + max + " form parts; send one part named 'file'");
    }

    public static ApiProblem malformedMultipart(String why) {
        return badRequest(ProblemType.MALFORMED_MULTIPART,
                "the multipart/form-data body could not be read (" + why + "); nothing was stored");
    }

    public static ApiProblem uploadInterrupted() {
        return badRequest(ProblemType.UPLOAD_INTERRUPTED,
                "the request body ended or the connection broke before the upload was complete; nothing was stored");
    }

    public static ApiProblem requestTimeout() {
        return new ApiProblem(Problem.of(408, ProblemType.REQUEST_TIMEOUT,
                "the upload arrived too slowly or stopped arriving; nothing was stored. Check the connection and retry"),
                Map.of("Connection", "close"));
    }

    public static ApiProblem malformedContentMd5(String given) {
        return badRequest(ProblemType.MALFORMED_CONTENT_MD5,
                "Content-MD5 must be the base64 (RFC 1864) or hex form of the file's 16-byte MD5 digest, got '"
                        + given + "'; nothing was stored");
    }

    public static ApiProblem conflictingContentMd5() {
        return badRequest(ProblemType.MALFORMED_CONTENT_MD5,
                "the request and the file part carry different Content-MD5 values; send one. Nothing was stored");
    }

    static ApiProblem digestMismatch(String expected, String actual) {
        return badRequest(ProblemType.DIGEST_MISMATCH, "the file's MD5 is " + actual
                + " but Content-MD5 says " + expected + "; the file was damaged on its way, nothing was stored."
                + " Upload it again");
    }

    public static ApiProblem invalidName(String reason) {
        return badRequest(ProblemType.INVALID_FILE_NAME, reason);
    }

    public static ApiProblem unknownDataFormat(String given) {
        return badRequest(ProblemType.UNKNOWN_DATA_FORMAT, "dataFormat '" + given
                + "' is not one of " + wireNames(Arrays.stream(DataFormat.values()).map(DataFormat::wireName)));
    }

    public static ApiProblem unknownCompressionFormat(String given) {
        return badRequest(ProblemType.UNKNOWN_COMPRESSION_FORMAT, "compressionFormat '" + given
                + "' is not one of " + wireNames(Arrays.stream(CompressionFormat.values()).map(CompressionFormat::wireName)));
    }

    static ApiProblem unsupportedContent(ContentProblem problem) {
        return switch (problem) {
            case ZIP_ARCHIVE -> badRequest(ProblemType.ZIP_NOT_SUPPORTED,
                    "ingestion cannot read ZIP archives; upload the files inside it, compressed with gzip if you like");
            case TAR_ARCHIVE -> badRequest(ProblemType.TAR_NOT_SUPPORTED,
                    "ingestion cannot read TAR archives; upload the files inside it, compressed with gzip if you like");
            case BYTE_ORDER_MARK -> badRequest(ProblemType.BYTE_ORDER_MARK,
                    "the file starts with a UTF-8 byte-order mark, which breaks ingestion; save it as UTF-8 without BOM");
        };
    }

    /** @param spoken the tus version this server speaks */
    public static ApiProblem unsupportedTusVersion(String given, String spoken) {
        return new ApiProblem(Problem.of(412, ProblemType.UNSUPPORTED_TUS_VERSION,
                "this server speaks tus " + spoken + ", not '" + given + "'; send Tus-Resumable: "
                        + spoken), Map.of("Tus-Version", spoken));
    }

    public static ApiProblem invalidUploadHeader(String header, String why) {
        return badRequest(ProblemType.INVALID_UPLOAD_HEADER, "the " + header + " header " + why);
    }

    /** @param required the media type tus appends have */
    public static ApiProblem notOffsetOctetStream(String contentType, String required) {
        return new ApiProblem(Problem.of(415, ProblemType.NOT_OFFSET_OCTET_STREAM,
                "append bytes with Content-Type: " + required + " (got "
                        + (contentType == null ? "none" : contentType) + ")"), Map.of("Connection", "close"));
    }

    public static ApiProblem missingFileName() {
        return badRequest(ProblemType.MISSING_FILE_NAME, "Upload-Metadata must name the file: filename (or name),"
                + " base64-encoded, as tus clients send it");
    }

    public static ApiProblem uploadNotFound(String id) {
        return new ApiProblem(Problem.of(404, ProblemType.UPLOAD_NOT_FOUND,
                "there is no upload " + id + " in progress here: it was finished, terminated, or expired"));
    }

    public static ApiProblem offsetMismatch(long offset) {
        return new ApiProblem(Problem.of(409, ProblemType.OFFSET_MISMATCH,
                "the upload stands at " + offset + " bytes; send the bytes from there (Upload-Offset: " + offset + ")"),
                Map.of("Upload-Offset", Long.toString(offset), "Connection", "close"));
    }

    public static ApiProblem checksumMismatch(long offset) {
        return new ApiProblem(Problem.of(460, ProblemType.CHECKSUM_MISMATCH,
                "the bytes sent do not have the Upload-Checksum given; they were discarded, the upload stands at "
                        + offset + " bytes. Send them again"), Map.of("Upload-Offset", Long.toString(offset)));
    }

    public static ApiProblem uploadLocked() {
        return new ApiProblem(Problem.of(423, ProblemType.UPLOAD_LOCKED,
                "another request is appending to this upload right now; nothing was appended. Retry once it ends"),
                Map.of("Retry-After", "1", "Connection", "close"));
    }

    public static ApiProblem lengthMismatch(String why) {
        return badRequest(ProblemType.LENGTH_MISMATCH, why + "; nothing of this request was kept");
    }

    public static ApiProblem resumableTooLarge(long maxBytes) {
        return new ApiProblem(Problem.of(413, ProblemType.UPLOAD_TOO_LARGE,
                "a resumable upload may have at most " + maxBytes + " bytes (FILES_MAX_RESUMABLE_UPLOAD_BYTES)"),
                Map.of("Tus-Max-Size", Long.toString(maxBytes)));
    }

    /** @param supported the algorithms an append may be checked with, comma-separated */
    public static ApiProblem unsupportedChecksum(String algorithm, String supported) {
        return badRequest(ProblemType.UNSUPPORTED_CHECKSUM, "Upload-Checksum algorithm '"
                + algorithm + "' is not one of " + supported);
    }

    /** How each refused upload is answered. */
    public static final UploadOutcome.Refusal.Cases<ApiProblem> UPLOAD_REFUSALS = new UploadOutcome.Refusal.Cases<>() {
        @Override
        public ApiProblem nameTaken(UploadOutcome.NameTaken refusal) {
            return nameConflict(refusal.name());
        }

        @Override
        public ApiProblem quotaExceeded(UploadOutcome.QuotaExceeded refusal) {
            return Problems.quotaExceeded(refusal.space());
        }

        @Override
        public ApiProblem invalidName(UploadOutcome.InvalidName refusal) {
            return Problems.invalidName(refusal.reason());
        }

        @Override
        public ApiProblem digestMismatch(UploadOutcome.DigestMismatch refusal) {
            return Problems.digestMismatch(refusal.expectedMd5(), refusal.actualMd5());
        }

        @Override
        public ApiProblem unsupportedContent(UploadOutcome.UnsupportedContent refusal) {
            return Problems.unsupportedContent(refusal.problem());
        }

        @Override
        public ApiProblem invalidLifetime(UploadOutcome.InvalidLifetime refusal) {
            return invalidExpiry(refusal.reason());
        }
    };

    public static ApiProblem invalidCursor(String reason) {
        return new ApiProblem(Problem.of(400, ProblemType.INVALID_CURSOR, reason
                + "; read from the start (no after) or from a cursor this project's feed gave"));
    }

    /** The events after the cursor are gone; {@code oldest} is where the kept ones begin. */
    public static ApiProblem cursorExpired(String oldest) {
        return new ApiProblem(Problem.of(410, ProblemType.CURSOR_EXPIRED, "events after this cursor were removed by"
                + " the retention, so reading on would skip them; the events still kept begin after the cursor in"
                + " the Oldest-Cursor header (after=" + oldest + ")"), java.util.Map.of("Oldest-Cursor", oldest));
    }

    public static ApiProblem webhookNotFound(String id) {
        return new ApiProblem(Problem.of(404, ProblemType.WEBHOOK_NOT_FOUND, "no webhook '"
                + (id.length() > 60 ? id.substring(0, 60) + "..." : id) + "' is registered for this organization"));
    }

    public static ApiProblem invalidWebhook(String reason) {
        return new ApiProblem(Problem.of(400, ProblemType.INVALID_WEBHOOK, reason));
    }

    public static ApiProblem tooManyWebhooks(int limit) {
        return new ApiProblem(Problem.of(409, ProblemType.TOO_MANY_WEBHOOKS, "the organization has " + limit
                + " webhooks, as many as it may; remove one before registering another"));
    }

    /** An {@code expiresAfterSeconds} that is not a whole number of seconds in the allowed range. */
    public static ApiProblem invalidExpiry(String reason) {
        return new ApiProblem(Problem.of(400, ProblemType.INVALID_EXPIRY, reason));
    }

    /** A refusal of one append that kept the upload where it was, at {@code offset}, to resume from there. */
    public static ApiProblem appendDeclined(ApiProblem refusal, long offset) {
        Problem problem = refusal.problem();
        return new ApiProblem(new Problem(problem.type(), problem.title(), problem.status(), problem.detail()
                + ". Nothing of this request was kept; the upload stays at offset " + offset
                + ", to resume from there", problem.code(), problem.instance()), refusal.headers())
                .with("Upload-Offset", Long.toString(offset));
    }

    /**
     * A PATCH whose body broke off (timeout, disconnect, a stopping server): unlike a one-request upload, what
     * arrived is kept, so the answer must not say that nothing was stored.
     */
    public static ApiProblem appendBroken(ApiProblem failure) {
        Problem problem = failure.problem();
        String detail = problem.detail().replaceAll("[;.] [Nn]othing was stored\\.?", ".");
        detail = detail.endsWith(".") ? detail : detail + ".";
        return new ApiProblem(new Problem(problem.type(), problem.title(), problem.status(), detail
                + " The bytes that arrived before the break were kept (unless the request carried Upload-Checksum):"
                + " HEAD tells the upload's offset, resume from there", problem.code(), problem.instance()),
                failure.headers());
    }

    public static ApiProblem tooManyOpenUploads(int limit) {
        return new ApiProblem(Problem.of(429, ProblemType.TOO_MANY_OPEN_UPLOADS, "this staging area has " + limit
                + " resumable uploads open, as many as it may have; finish or terminate one first"));
    }

    public static ApiProblem storageFull() {
        return new ApiProblem(Problem.of(507, ProblemType.STORAGE_FULL,
                "the server's storage is full; nothing was stored. Try again later or ask the operator"),
                Map.of("Connection", "close"));
    }

    public static ApiProblem storageUnavailable() {
        return new ApiProblem(Problem.of(503, ProblemType.STORAGE_UNAVAILABLE,
                "the storage cannot be reached right now; nothing was stored. Retry shortly"),
                Map.of("Retry-After", "5"));
    }

    /** @param busy why no slot was free, as {@code TransferSlots} says it */
    public static ApiProblem tooManyUploads(String busy) {
        return new ApiProblem(Problem.of(503, ProblemType.TOO_MANY_UPLOADS,
                busy + "; nothing was stored. Retry shortly"),
                Map.of("Retry-After", "5", "Connection", "close"));
    }

    /** @param busy why no slot was free, as {@code TransferSlots} says it */
    public static ApiProblem tooManyDownloads(String busy) {
        return new ApiProblem(Problem.of(503, ProblemType.TOO_MANY_DOWNLOADS, busy + ". Retry shortly"),
                Map.of("Retry-After", "5"));
    }

    public static ApiProblem shuttingDown() {
        return new ApiProblem(Problem.of(503, ProblemType.SHUTTING_DOWN,
                "this server is shutting down and takes no new requests; retry shortly (or on another instance)"),
                Map.of("Retry-After", "5", "Connection", "close"));
    }

    public static ApiProblem headersTooLarge() {
        return new ApiProblem(Problem.of(431, ProblemType.HEADERS_TOO_LARGE,
                "the request's headers are larger than this server accepts; send fewer or shorter headers"));
    }

    public static ApiProblem unreadableRequest(int status) {
        return new ApiProblem(Problem.of(status, ProblemType.BAD_REQUEST, "the request could not be read as HTTP/1.1"));
    }

    /** @param reason why, from the parser's fixed list (never bytes of the request) */
    public static ApiProblem unreadableRequest(int status, String reason) {
        return new ApiProblem(Problem.of(status, ProblemType.BAD_REQUEST, "the request could not be read as HTTP/1.1: "
                + reason + "; the connection is closed"));
    }

    public static ApiProblem badAddress() {
        return badRequest(ProblemType.BAD_ADDRESS,
                "the request's address is not a valid URI (a '%' must start an escape such as %20)");
    }

    public static ApiProblem internalError() {
        return new ApiProblem(Problem.of(500, ProblemType.INTERNAL_ERROR,
                "the server failed; nothing was stored. The operator can find the cause in the server log"));
    }

    /** Jersey's own HTTP errors (no resource matched, a method or media type not taken), by status. */
    public static ApiProblem http(int status, String reason) {
        return new ApiProblem(Problem.of(status, ProblemType.ofStatus(status), switch (status) {
            case 404 -> "there is nothing at this address; the Files API is at /v1/files";
            case 405 -> "this address does not accept that method";
            case 406 -> "the API answers application/json only";
            default -> reason;
        }));
    }

    private static ApiProblem badRequest(ProblemType type, String detail) {
        return new ApiProblem(Problem.of(400, type, detail), Map.of("Connection", "close"));
    }

    private static String wireNames(java.util.stream.Stream<String> names) {
        return names.collect(Collectors.joining(", "));
    }
}
