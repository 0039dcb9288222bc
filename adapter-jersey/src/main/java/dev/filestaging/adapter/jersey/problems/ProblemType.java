package dev.filestaging.adapter.jersey.problems;

/**
 * The catalogue of problem types: each {@code code} has one title and one meaning, documented at
 * {@code /docs/problems#{code}} (the {@code type} of its problems) and listed in the API document. Clients may switch
 * on the code; the status may vary only where a code says so.
 */
public enum ProblemType {
    UNAUTHORIZED("unauthorized", "Unauthorized", "No credentials, or credentials that are not valid. Send an API key"
            + " (Authorization: Basic with the key as user name, or Bearer) or an OAuth access token."),
    INVALID_TOKEN("invalid_token", "Invalid token", "The bearer token is expired, malformed or not signed by a"
            + " trusted issuer (RFC 6750). Fetch a new token."),
    FORBIDDEN("forbidden", "Forbidden", "The credentials are valid but their roles do not allow this action"
            + " (ReadFiles cannot upload or delete)."),
    NOT_FOUND("not_found", "Not found", "Nothing is at this address (an unknown path or project id)."),
    ORIGIN_NOT_ALLOWED("origin_not_allowed", "Origin not allowed", "A browser asked whether a page of this origin may"
            + " call the API (a CORS preflight) and it may not: the operator lists such origins in"
            + " FILES_HTTP_CORS_ORIGINS."),
    METHOD_NOT_ALLOWED("method_not_allowed", "Method not allowed", "The address does not take this method; the Allow"
            + " header lists those it takes."),
    NOT_ACCEPTABLE("not_acceptable", "Not acceptable", "The Accept header asks for a type the API does not answer"
            + " (it answers JSON)."),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", "Unsupported media type", "The request body has a content type"
            + " this address does not read."),
    FILE_NOT_FOUND("file_not_found", "File not found", "No file of this name is staged in the project."),
    PRECONDITION_FAILED("precondition_failed", "Precondition failed", "A condition of the request does not"
            + " hold: If-Match names another version of the file, If-None-Match names this one, or it was modified"
            + " since If-Unmodified-Since; nothing was changed."),
    RANGE_NOT_SATISFIABLE("range_not_satisfiable", "Range not satisfiable", "No byte of the Range is in the file;"
            + " Content-Range gives the file's size."),
    INVALID_QUERY("invalid_query", "Invalid query parameter", "A query parameter has a value the API does not take"
            + " (a limit out of range, a continuation token that is not one)."),
    INVALID_LINK("invalid_link", "Invalid link", "The signed link is malformed, altered or signed with a key that"
            + " is no longer trusted."),
    LINK_EXPIRED("link_expired", "Link expired", "The signed link's lifetime is over."),
    LINK_GONE("link_gone", "File gone", "The version of the file a signed link reads was deleted or replaced."),
    INVALID_LIFETIME("invalid_lifetime", "Invalid link lifetime", "The link lifetime asked for is not a duration"
            + " within the server's maximum."),
    INVALID_EXPIRY("invalid_expiry", "Invalid file expiry", "expiresAfterSeconds is not a whole number of seconds"
            + " between 60 and the deployment's longest file lifetime (FILES_MAX_FILE_TTL_SECONDS)."),
    INVALID_CURSOR("invalid_cursor", "Invalid cursor", "The after parameter is not a cursor this project's change feed"
            + " gave (cursors are per project)."),
    CURSOR_EXPIRED("cursor_expired", "Events removed", "Events after this cursor were removed by the retention"
            + " (FILES_EVENTS_RETENTION_HOURS); the Oldest-Cursor header is where the events still kept begin."),
    WEBHOOK_NOT_FOUND("webhook_not_found", "Webhook not found", "No endpoint of this id is registered for the"
            + " organization."),
    INVALID_WEBHOOK("invalid_webhook", "Invalid webhook", "The endpoint cannot be registered as asked (the detail"
            + " says why)."),
    TOO_MANY_WEBHOOKS("too_many_webhooks", "Too many webhooks", "The organization has as many endpoints as it may"
            + " register; remove one first."),
    NAME_CONFLICT("name_conflict", "File already exists", "A file of this name is already staged (or being uploaded"
            + " resumably); delete it first or use another name."),
    UPLOAD_TOO_LARGE("upload_too_large", "Upload too large", "The request, or the resumable upload, is larger than"
            + " the server's limit."),
    QUOTA_EXCEEDED("quota_exceeded", "Staging quota exceeded", "The file does not fit in the staging area's quota;"
            + " the detail says how many bytes are left."),
    NOT_MULTIPART("not_multipart", "Not multipart/form-data", "An upload must be multipart/form-data with a part"
            + " named file."),
    MISSING_FILE("missing_file", "No file in the request", "The multipart body has no part named file."),
    MULTIPLE_FILES("multiple_files", "More than one file", "The multipart body has more than one file part."),
    TOO_MANY_PARTS("too_many_parts", "Too many form parts", "The multipart body has more form parts than the server"
            + " reads."),
    MALFORMED_MULTIPART("malformed_multipart", "Malformed multipart body", "The multipart body could not be read;"
            + " nothing was stored."),
    UPLOAD_INTERRUPTED("upload_interrupted", "Upload interrupted", "The body ended or the connection broke before the"
            + " upload was complete; nothing was stored."),
    REQUEST_TIMEOUT("request_timeout", "Request timeout", "The body arrived too slowly or stopped arriving; nothing"
            + " was stored."),
    MALFORMED_CONTENT_MD5("malformed_content_md5", "Malformed Content-MD5", "Content-MD5 is not a 16-byte MD5 in"
            + " base64 or hex, or the request and the file part carry different values."),
    DIGEST_MISMATCH("digest_mismatch", "Content-MD5 mismatch", "The file's MD5 is not the one Content-MD5 gives;"
            + " nothing was stored."),
    INVALID_FILE_NAME("invalid_file_name", "Invalid file name", "The file name breaks the naming rules (the detail"
            + " says which)."),
    UNKNOWN_DATA_FORMAT("unknown_data_format", "Unknown data format", "dataFormat is not one of the formats the API"
            + " knows."),
    UNKNOWN_COMPRESSION_FORMAT("unknown_compression_format", "Unknown compression format", "compressionFormat is not"
            + " one of the formats the API knows."),
    ZIP_NOT_SUPPORTED("zip_not_supported", "ZIP archives are not supported", "Ingestion cannot read ZIP archives."),
    TAR_NOT_SUPPORTED("tar_not_supported", "TAR archives are not supported", "Ingestion cannot read TAR archives."),
    BYTE_ORDER_MARK("byte_order_mark", "Byte-order mark", "The file starts with a UTF-8 byte-order mark, which breaks"
            + " ingestion."),
    UNSUPPORTED_TUS_VERSION("unsupported_tus_version", "Unsupported tus version", "Tus-Resumable names a version"
            + " other than 1.0.0."),
    INVALID_UPLOAD_HEADER("invalid_upload_header", "Invalid upload header", "An Upload-* header of a resumable"
            + " upload is missing or malformed."),
    NOT_OFFSET_OCTET_STREAM("not_offset_octet_stream", "Not application/offset+octet-stream", "A PATCH to a"
            + " resumable upload must have Content-Type application/offset+octet-stream."),
    MISSING_FILE_NAME("missing_file_name", "No file name", "Upload-Metadata does not name the file (filename or"
            + " name)."),
    UPLOAD_NOT_FOUND("upload_not_found", "Upload not found", "No resumable upload of this id is in progress: it was"
            + " finished, terminated or expired."),
    OFFSET_MISMATCH("offset_mismatch", "Offset mismatch", "Upload-Offset is not where the upload stands; the"
            + " Upload-Offset answer header says where."),
    CHECKSUM_MISMATCH("checksum_mismatch", "Checksum mismatch", "The appended bytes do not have the Upload-Checksum"
            + " given; they were discarded."),
    TOO_MANY_OPEN_UPLOADS("too_many_open_uploads", "Too many open uploads", "The staging area has as many"
            + " resumable uploads open as it may have (FILES_MAX_OPEN_UPLOADS); finish or terminate one first."),
    UPLOAD_LOCKED("upload_locked", "Upload busy", "Another request is appending to this upload right now."),
    LENGTH_MISMATCH("length_mismatch", "Length mismatch", "The bytes sent and the upload's length disagree."),
    UNSUPPORTED_CHECKSUM("unsupported_checksum", "Unsupported checksum algorithm", "Upload-Checksum names an"
            + " algorithm the server does not compute."),
    STORAGE_FULL("storage_full", "Insufficient storage", "The server's storage is full; nothing was stored."),
    STORAGE_UNAVAILABLE("storage_unavailable", "Storage unavailable", "The storage cannot be reached right now;"
            + " nothing was stored. Retry after Retry-After."),
    TOO_MANY_UPLOADS("too_many_uploads", "Too many uploads", "All upload slots of this server are busy, or this"
            + " organization holds its share of them while others wait; retry after Retry-After."),
    TOO_MANY_DOWNLOADS("too_many_downloads", "Too many downloads", "All transfer slots of this server are busy, or"
            + " this organization (or its signed links) holds its share of them while others wait; retry after"
            + " Retry-After."),
    SHUTTING_DOWN("shutting_down", "Shutting down", "The server is stopping and takes no new requests; retry, on"
            + " another instance if there is one."),
    HEADERS_TOO_LARGE("headers_too_large", "Request headers too large", "The request's headers are larger than the"
            + " server accepts."),
    BAD_REQUEST("bad_request", "Bad request", "The request could not be read as HTTP/1.1, or its framing is ambiguous"
            + " (the status may be 414 for a request line too long, 501 for a transfer coding other than chunked, 505"
            + " for a version other than HTTP/1.x). When the HTTP parser refuses a request it also closes the connection."),
    BAD_ADDRESS("bad_address", "Bad address", "The request's address is not a valid URI."),
    HTTP_ERROR("http_error", "HTTP error", "Another HTTP error; the status and detail say which."),
    INTERNAL_ERROR("internal_error", "Internal error", "The server failed; nothing was stored. The server log has the"
            + " cause, found by the problem's instance (the request id).");

    /** Where the types are described, relative to the service's root. */
    static final String PAGE = "/docs/problems";

    private final String code;
    private final String title;
    private final String meaning;

    ProblemType(String code, String title, String meaning) {
        this.code = code;
        this.title = title;
        this.meaning = meaning;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** What the problem means, for the documentation. */
    public String meaning() {
        return meaning;
    }

    /** This type's URI under {@code base} (the service's public URL, or empty for a reference relative to its root). */
    String uri(String base) {
        return base + PAGE + "#" + code;
    }

    /** The type Jersey's own HTTP errors map to, by status. */
    static ProblemType ofStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> HTTP_ERROR;
        };
    }
}
