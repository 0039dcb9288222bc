package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.problems.Problems;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tus 1.0.0 protocol's headers (https://tus.io/protocols/resumable-upload): version negotiation, discovery, the
 * {@code Upload-Metadata} encoding, and the {@code Tus-Resumable} header on every answer of the upload routes.
 */
public final class TusProtocol implements ContainerResponseFilter {
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-defer-length,creation-with-upload,expiration,checksum,termination";
    /** The algorithms an append may be checked with: the domain's, in one list. */
    public static final String CHECKSUM_ALGORITHMS = String.join(",", new java.util.TreeSet<>(
            dev.filestaging.ports.in.ResumeUploads.ChunkCheck.ALGORITHMS));

    public static java.util.Set<String> checksumAlgorithms() {
        return dev.filestaging.ports.in.ResumeUploads.ChunkCheck.ALGORITHMS;
    }
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    private static final Pattern UPLOADS_PATH = Pattern.compile("v1/(projects/[^/]+/)?uploads(/.*)?");
    /**
     * IMF-fixdate (RFC 9110 §5.6.7), {@code Tue, 08 Dec 2026 10:00:00 GMT}: a two-digit day, always GMT. Java's
     * {@code RFC_1123_DATE_TIME} writes {@code Tue, 8 Dec}, which strict parsers refuse.
     */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);

    public static boolean isUploadsPath(String path) {
        return UPLOADS_PATH.matcher(path).matches();
    }

    /** The answer to {@code OPTIONS}, which tus clients send without credentials to discover the server. */
    public static Response discovery(long maxBytes) {
        return Response.noContent()
                .header("Tus-Resumable", VERSION)
                .header("Tus-Version", VERSION)
                .header("Tus-Extension", EXTENSIONS)
                .header("Tus-Max-Size", maxBytes)
                .header("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS)
                .header("Access-Control-Expose-Headers", "Upload-Offset, Upload-Length, Tus-Version, Tus-Resumable,"
                        + " Tus-Max-Size, Tus-Extension, Upload-Metadata, Upload-Expires, Location")
                .build();
    }

    /** Every request but OPTIONS must speak our version. */
    public static void requireVersion(ContainerRequestContext request) {
        String version = request.getHeaderString("Tus-Resumable");
        if (!VERSION.equals(version == null ? null : version.strip())) {
            throw Problems.unsupportedTusVersion(version == null ? "(none)" : version, VERSION);
        }
    }

    /** {@code key base64,key base64,key}: decoded; a key without a value maps to the empty string. */
    public static Map<String, String> metadata(String header) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return metadata;
        }
        for (String pair : header.split(",")) {
            String[] parts = pair.strip().split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty() || metadata.containsKey(parts[0])) {
                throw Problems.invalidUploadHeader("Upload-Metadata", "must be comma-separated pairs of a key and a"
                        + " base64 value, each key once");
            }
            byte[] value;
            try {
                value = parts.length == 1 ? new byte[0] : Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException notBase64) {
                throw Problems.invalidUploadHeader("Upload-Metadata", "has a value of '" + parts[0]
                        + "' that is not base64");
            }
            metadata.put(parts[0], utf8(parts[0], value));
        }
        return metadata;
    }

    /** A value as UTF-8, strictly: bytes that are not UTF-8 are refused, never turned into U+FFFD. */
    private static String utf8(String key, byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(value)).toString();
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            if (key.equals("filename") || key.equals("name")) {
                throw Problems.invalidName("the file name in Upload-Metadata is not UTF-8");
            }
            throw Problems.invalidUploadHeader("Upload-Metadata", "has a value of '" + key + "' that is not UTF-8");
        }
    }

    public static String encodeMetadata(Map<String, String> metadata) {
        StringBuilder header = new StringBuilder();
        metadata.forEach((key, value) -> {
            if (header.length() > 0) {
                header.append(',');
            }
            header.append(key);
            if (!value.isEmpty()) {
                header.append(' ').append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            }
        });
        return header.toString();
    }

    /** A non-negative length or offset header, or -1 when absent. */
    public static long number(ContainerRequestContext request, String header) {
        String value = request.getHeaderString(header);
        if (value == null) {
            return -1;
        }
        String digits = value.strip();
        // digits only: Long.parseLong would also take "+5"
        if (!digits.isEmpty() && digits.length() <= 19 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException overflow) {
                // answered below
            }
        }
        throw Problems.invalidUploadHeader(header, "must be a whole number of bytes, 0 or more; got '" + value + "'");
    }

    public static String httpDate(Instant at) {
        return HTTP_DATE.format(at);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (isUploadsPath(request.getUriInfo().getPath())) {
            response.getHeaders().putSingle("Tus-Resumable", VERSION);
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
    }
}
