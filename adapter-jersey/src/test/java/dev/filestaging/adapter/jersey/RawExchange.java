package dev.filestaging.adapter.jersey;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes sent as they are over one connection, and every answer read back (interim 1xx answers skipped), with whether
 * the server then closed the connection: for requests no well-behaved client sends.
 */
public final class RawExchange {
    /** One final answer. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    /** What came back: the answers in order, and whether the server closed the connection after them. */
    public record Result(List<Answer> answers, boolean closed) {
        public List<Integer> statuses() {
            return answers.stream().map(Answer::status).toList();
        }
    }

    private RawExchange() {}

    /**
     * Sends {@code request} and reads answers until the server closes the connection or sends nothing more for
     * {@code quiet} milliseconds; at most {@code patience} milliseconds are waited for each answer to start.
     */
    public static Result exchange(int port, byte[] request, int patience, int quiet) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException answeredEarly) {
                // the server answered and closed before taking everything: read what it said
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Answer> answers = new ArrayList<>();
            socket.setSoTimeout(patience);
            while (true) {
                socket.setSoTimeout(answers.isEmpty() ? patience : quiet);
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException silent) {
                    return new Result(answers, false);
                } catch (SocketException reset) {
                    return new Result(answers, true);
                }
                if (first < 0) {
                    return new Result(answers, true);
                }
                socket.setSoTimeout(patience);
                Answer answer = read(first, in);
                if (answer.status() >= 200) {
                    answers.add(answer);
                }
            }
        }
    }

    private static Answer read(int first, InputStream in) throws IOException {
        String statusLine = (char) first + line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line; !(line = line(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> length = headers.get("content-length");
        List<String> coding = headers.get("transfer-encoding");
        if (status >= 200 && status != 204 && status != 304) {
            if (coding != null && coding.get(0).equalsIgnoreCase("chunked")) {
                for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (length != null) {
                body.write(in.readNBytes(Integer.parseInt(length.get(0))));
            }
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("the connection closed within an answer: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
