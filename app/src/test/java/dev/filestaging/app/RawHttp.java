package dev.filestaging.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 byte for byte over a socket: for requests no well-behaved client would send (lying lengths, broken
 * framing, bodies cut off). Builds multipart uploads and reads one response.
 */
final class RawHttp {
    static final String BOUNDARY = "r4wb0undary";

    private RawHttp() {}

    /** A response: status (0 if the server closed the connection without answering), headers and body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The multipart body of one file part; {@code partHeaders} go after its Content-Disposition. */
    static byte[] multipartBody(String dispositionParameters, String partHeaders, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; " + dispositionParameters
                + "\r\n" + partHeaders + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static byte[] multipartBody(String fileName, byte[] content) {
        return multipartBody("filename=\"" + fileName + "\"", "", content);
    }

    /** Request line and headers of a POST to /v1/files; {@code extraHeaders} are whole lines ending in CRLF. */
    static byte[] uploadHead(String authorization, String contentType, String lengthHeader, String extraHeaders) {
        return ("POST /v1/files HTTP/1.1\r\nHost: localhost\r\n" + authorization + "\r\nContent-Type: " + contentType
                + "\r\n" + lengthHeader + extraHeaders + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] upload(String authorization, byte[] multipartBody, String extraHeaders) {
        byte[] head = uploadHead(authorization, "multipart/form-data; boundary=" + BOUNDARY,
                "Content-Length: " + multipartBody.length + "\r\n", extraHeaders);
        return concat(head, multipartBody);
    }

    static byte[] concat(byte[]... pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            all.writeBytes(piece);
        }
        return all.toByteArray();
    }

    /**
     * Sends {@code request}, optionally half-closes (the client says it has nothing more to send), and reads one
     * response, waiting at most {@code timeout}. A server that answers before reading everything may reset the
     * connection while we still write; the response it sent is read all the same.
     */
    static Response exchange(int port, byte[] request, boolean halfClose, Duration timeout) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException answeredEarly) {
                // the server answered and closed before taking the whole request: read what it said
            }
            return read(socket.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headerEnd = -1;
        long contentLength = -1;
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                raw.write(buffer, 0, n);
                String sofar = raw.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && (headerEnd = sofar.indexOf("\r\n\r\n")) >= 0) {
                    contentLength = lengthOf(sofar.substring(0, headerEnd));
                }
                if (headerEnd >= 0 && contentLength >= 0 && raw.size() >= headerEnd + 4 + contentLength) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException stopped) {
            if (raw.size() == 0) {
                throw stopped;
            }
        }
        String text = raw.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return new Response(0, Map.of(), "");
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, end < 0 ? "" : text.substring(end + 4));
    }

    private static long lengthOf(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return -1;
    }
}
