package dev.filestaging.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** tus 1.0.0 spoken over raw sockets, as the suites speak HTTP: create, append, ask the offset, terminate. */
final class Tus {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final int port;

    Tus(int port) {
        this.port = port;
    }

    /** Creates an upload of {@code length} bytes named {@code name}; returns its path. */
    String create(String name, long length) throws IOException {
        RawHttp.Response created = exchange(request("POST", "/v1/uploads", "Upload-Length: " + length
                + "\r\nUpload-Metadata: filename " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8))
                + "\r\nContent-Length: 0\r\n"));
        if (created.status() != 201) {
            throw new IllegalStateException("creation answered " + created.status() + ": " + created.body());
        }
        return java.net.URI.create(created.header("Location")).getPath();
    }

    /** One PATCH of {@code content[from, to)} at {@code offset}. */
    RawHttp.Response patch(String upload, long offset, byte[] content, int from, int to) throws IOException {
        return patch(upload, offset, content, from, to, "");
    }

    /** The same with more headers, whole lines ending in CRLF. */
    RawHttp.Response patch(String upload, long offset, byte[] content, int from, int to, String extraHeaders)
            throws IOException {
        return exchange(RawHttp.concat(patchHead(upload, offset, to - from, extraHeaders),
                java.util.Arrays.copyOfRange(content, from, to)));
    }

    /** A first PATCH that declares {@code declared} bytes, sends {@code content} and closes its side: a cut body. */
    RawHttp.Response patchCut(String upload, byte[] content, long declared) throws IOException {
        return RawHttp.exchange(port, RawHttp.concat(patchHead(upload, 0, declared, ""), content), true, TIMEOUT);
    }

    private static byte[] patchHead(String upload, long offset, long length, String extraHeaders) {
        return request("PATCH", upload, "Content-Type: application/offset+octet-stream\r\nUpload-Offset: " + offset
                + "\r\nContent-Length: " + length + "\r\n" + extraHeaders);
    }

    /** The durable offset HEAD answers. */
    long offset(String upload) throws IOException {
        RawHttp.Response head = RawHttp.exchange(port, request("HEAD", upload, ""), false, TIMEOUT);
        return Long.parseLong(head.header("Upload-Offset"));
    }

    RawHttp.Response terminate(String upload) throws IOException {
        return exchange(request("DELETE", upload, "Content-Length: 0\r\n"));
    }

    private RawHttp.Response exchange(byte[] request) throws IOException {
        return RawHttp.exchange(port, request, false, TIMEOUT);
    }

    private static byte[] request(String method, String path, String headers) {
        // the server closes after answering: a 204 has no length to tell where it ends
        return (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Backend.AUTH
                + "\r\nTus-Resumable: 1.0.0\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
