package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** What end-to-end tests do as a user would: run commands (curl, python3), read their JSON, make test files. */
final class E2e {
    private static final ObjectMapper JSON = new ObjectMapper();

    private E2e() {
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    /** curl printing the body and then the status code on the last line. */
    static Result curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
        command.addAll(List.of(arguments));
        return run(command, Map.of());
    }

    static int status(Result curl) {
        String[] lines = curl.output().strip().split("\n");
        return Integer.parseInt(lines[lines.length - 1].trim());
    }

    static JsonNode body(Result curl) throws IOException {
        String out = curl.output().strip();
        return JSON.readTree(out.substring(0, out.lastIndexOf('\n')));
    }

    /** MD5 as the API reports it: hex, upper case. */
    static String md5(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return md5(in);
        }
    }

    static String md5(byte[] content) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }

    static String md5(InputStream in) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] buffer = new byte[1 << 20];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md5.update(buffer, 0, n);
        }
        return HexFormat.of().withUpperCase().formatHex(md5.digest());
    }

    static Path randomFile(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return file;
    }

    /** The first python3 that can import requests: the one on PATH, or Debian's (python3-requests). */
    static String pythonWithRequests() throws Exception {
        return pythonWith("requests", "python3-requests");
    }

    /** The first python3 that can import {@code modules} (comma-separated): the one on PATH, or Debian's. */
    static String pythonWith(String modules, String debianPackages) throws Exception {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                if (run(List.of(candidate, "-c", "import " + modules), Map.of()).exitCode() == 0) {
                    return candidate;
                }
            } catch (IOException notInstalled) {
                // try the next one
            }
        }
        throw new AssertionError("no python3 can import " + modules + "; install " + debianPackages
                + " (.ci/run does)");
    }

    /**
     * Opens a connection and sends the request line, headers and the first half of a multipart upload of
     * {@code fileBytes} zero bytes named {@code fileName}; the rest never comes. Close the socket to disconnect.
     */
    static Socket halfUpload(int port, String authorizationHeader, String fileName, int fileBytes) throws IOException {
        String head = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\n\r\n";
        long length = head.length() + fileBytes + "\r\n--b0undary--\r\n".length();
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/files HTTP/1.1\r\nHost: localhost\r\n" + authorizationHeader + "\r\nContent-Type:"
                + " multipart/form-data; boundary=b0undary\r\nContent-Length: " + length + "\r\n\r\n" + head)
                .getBytes(StandardCharsets.UTF_8));
        byte[] chunk = new byte[1 << 20];
        for (int sent = 0; sent < fileBytes / 2; sent += chunk.length) {
            out.write(chunk);
        }
        out.flush();
        return socket;
    }
}
