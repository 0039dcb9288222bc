package dev.filestaging.adapter.jersey;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies byte by byte, so tests control every header and boundary. */
public final class MultipartBody {
    public static final String BOUNDARY = "----test-boundary-7MA4YWxkTrZu0gW";
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    public MultipartBody file(String field, String fileName, byte[] content) {
        return part("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n", content);
    }

    public MultipartBody field(String field, String value) {
        return part("Content-Disposition: form-data; name=\"" + field + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
    }

    public MultipartBody part(String headers, byte[] content) {
        write("--" + BOUNDARY + "\r\n" + headers + "\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    public byte[] end() {
        write("--" + BOUNDARY + "--\r\n");
        return body.toByteArray();
    }

    private void write(String s) {
        body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] singleFile(String fileName, byte[] content) {
        return new MultipartBody().file("file", fileName, content).end();
    }
}
