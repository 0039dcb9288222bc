package dev.filestaging.adapter.jersey.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * Walks a multipart body part by part, pulling from the request's stream, with Jetty's multipart parser underneath.
 *
 * <p>Why Jetty's parser: it finds boundaries with a skip-ahead search at about 10 GB/s, where commons-fileupload's
 * byte-by-byte scan ran at 550 MB/s and was the single largest cost of an upload (profiled: over 90% of the request
 * thread's samples, for 1 GiB files and for 64 KiB ones alike).
 *
 * <p>Jetty's parser pushes events to a listener as it consumes a buffer; this class queues them and hands them out
 * on demand, reading the next buffer only once the queue is empty. Content events are views of that one read
 * buffer, which is why it is refilled only after they were consumed: no copy is made besides the caller's.
 *
 * <p>Jetty announces the end of the message only at the end of the body. A body can go on after the closing
 * delimiter (an epilogue, or a client declaring more than it sends), so the bytes last read are watched for the
 * closing delimiter, and the message ends there, as it did with commons-fileupload: nothing after it is waited for.
 */
public final class MultipartCursor {

    private static final int READ_BYTES = 64 * 1024;

    /** The body breaks multipart's rules (or ends early); the message says how, without echoing content. */
    public static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    private sealed interface Event permits HeadersDone, Bytes, PartEnd, Complete, Failed {}

    private record HeadersDone(Map<String, String> headers, Set<String> quotedControls) implements Event {}

    private record Bytes(ByteBuffer bytes) implements Event {}

    private record PartEnd() implements Event {}

    private record Complete() implements Event {}

    private record Failed(Throwable cause) implements Event {}

    private final InputStream body;
    private final MultiPart.Parser parser;
    private final byte[] readBuffer = new byte[READ_BYTES];
    private final byte[] closeDelimiter;
    /** The last bytes read, enough to hold the closing delimiter and a CRLF after it. */
    private final byte[] tail;
    private int tailLength;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private Map<String, String> headersBeingRead = new HashMap<>();
    private Map<String, String> headers = Map.of();
    private Set<String> quotedControls = Set.of();
    /**
     * The raw bytes of the part header being parsed. Jetty's parser turns a tab in a header value into a space, which
     * would silently rename a file sent as {@code filename="a<TAB>b.csv"}; the raw bytes tell that it was a tab.
     */
    private final ByteArrayOutputStream rawHeader = new ByteArrayOutputStream();
    private Set<String> quotedControlsBeingRead = new HashSet<>();
    private ByteBuffer feeding = ByteBuffer.allocate(0);
    private int rawMark;
    private boolean inHeaders;
    private ByteBuffer content;
    private boolean inPart;
    private boolean bodyEnded;
    private boolean complete;

    MultipartCursor(String boundary, int maxPartHeaderBytes, InputStream body) {
        this.body = body;
        this.closeDelimiter = ("\r\n--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1);
        this.tail = new byte[closeDelimiter.length + 2];
        this.parser = new MultiPart.Parser(boundary, new Listener());
        this.parser.setPartHeadersMaxLength(maxPartHeaderBytes);
    }

    /** Skips what is left of the current part; moves to the next one. False once the closing boundary was read. */
    boolean nextPart() throws IOException {
        while (inPart) {
            content = null;
            skipContent();
        }
        while (true) {
            Event event = nextEvent();
            if (event instanceof HeadersDone done) {
                headers = done.headers();
                quotedControls = done.quotedControls();
                inPart = true;
                content = null;
                return true;
            }
            if (event instanceof Complete) {
                return false;
            }
        }
    }

    /** A header of the current part, by lower-case name; null if absent. */
    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /**
     * Whether a header of the current part had a control character (a tab, say) inside a quoted string, where the
     * parser handed it on as a space.
     */
    boolean hadControlInQuotes(String lowerCaseName) {
        return quotedControls.contains(lowerCaseName);
    }

    /** Reads the current part's content; -1 at its end. */
    int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (inPart && (content == null || !content.hasRemaining())) {
            Event event = nextEvent();
            if (event instanceof Bytes bytes) {
                content = bytes.bytes();
            } else if (event instanceof PartEnd) {
                inPart = false;
                content = null;
            }
        }
        if (!inPart) {
            return -1;
        }
        int n = Math.min(length, content.remaining());
        content.get(buffer, offset, n);
        return n;
    }

    private void skipContent() throws IOException {
        Event event = nextEvent();
        if (event instanceof PartEnd) {
            inPart = false;
        }
    }

    private Event nextEvent() throws IOException {
        while (events.isEmpty()) {
            if (complete) {
                return new Complete(); // what follows the closing boundary (the epilogue) is ignored
            }
            if (bodyEnded) {
                throw new Malformed("the body ended before the closing boundary");
            }
            int n = body.read(readBuffer);
            bodyEnded = n < 0;
            feeding = bodyEnded ? ByteBuffer.allocate(0) : ByteBuffer.wrap(readBuffer, 0, n);
            rawMark = 0;
            try {
                parser.parse(Content.Chunk.from(feeding, bodyEnded));
            } catch (RuntimeException failure) {
                throw new Malformed(describe(failure));
            }
            if (inHeaders) {
                takeRawHeader(); // a header section that goes on in the next read
            }
            if (!bodyEnded) {
                remember(n);
                if (events.peekLast() instanceof PartEnd && endsWithCloseDelimiter()) {
                    events.add(new Complete());
                }
            }
        }
        Event event = events.poll();
        if (event instanceof Failed failed) {
            throw new Malformed(describe(failed.cause()));
        }
        if (event instanceof Complete) {
            complete = true;
        }
        return event;
    }

    /** Keeps the bytes the parser consumed since the last mark (Jetty reads the buffer it is given in place). */
    private void takeRawHeader() {
        int position = feeding.position();
        if (position > rawMark && rawHeader.size() < MultipartFileReader.MAX_PART_HEADER_BYTES * 2) {
            rawHeader.write(feeding.array(), feeding.arrayOffset() + rawMark, position - rawMark);
        }
        rawMark = position;
    }

    /** A control character inside a quoted string ({@code \"} does not end it). */
    private static boolean controlInQuotes(byte[] raw) {
        boolean quoted = false;
        for (int i = 0; i < raw.length; i++) {
            int b = raw[i] & 0xFF;
            if (b == '"') {
                quoted = !quoted;
            } else if (quoted && b == '\\') {
                i++;
            } else if (quoted && b < 0x20) {
                return true;
            }
        }
        return false;
    }

    private void remember(int n) {
        int keep = Math.min(tailLength, tail.length - Math.min(n, tail.length));
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        int take = Math.min(n, tail.length - keep);
        System.arraycopy(readBuffer, n - take, tail, keep, take);
        tailLength = keep + take;
    }

    /** The bytes last read end with the closing delimiter, or with it and a CRLF. */
    private boolean endsWithCloseDelimiter() {
        int length = closeDelimiter.length;
        boolean crlf = tailLength >= 2 && tail[tailLength - 2] == '\r' && tail[tailLength - 1] == '\n';
        int end = crlf ? tailLength - 2 : tailLength;
        return end >= length && Arrays.equals(tail, end - length, end, closeDelimiter, 0, length);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && message.toLowerCase(Locale.ROOT).contains("header")) {
            return "a part's headers are longer than " + MultipartFileReader.MAX_PART_HEADER_BYTES
                    + " bytes, or unreadable";
        }
        return message == null || message.isBlank() ? "unreadable body" : message;
    }

    private final class Listener implements MultiPart.Parser.Listener {
        @Override
        public void onPartBegin() {
            headersBeingRead = new HashMap<>();
            quotedControlsBeingRead = new HashSet<>();
            rawMark = feeding.position();
            rawHeader.reset();
            inHeaders = true;
        }

        @Override
        public void onPartHeader(String name, String value) {
            takeRawHeader();
            if (controlInQuotes(rawHeader.toByteArray())) {
                quotedControlsBeingRead.add(name.toLowerCase(Locale.ROOT));
            }
            rawHeader.reset();
            headersBeingRead.put(name.toLowerCase(Locale.ROOT), value);
        }

        @Override
        public void onPartHeaders() {
            inHeaders = false;
            events.add(new HeadersDone(headersBeingRead, quotedControlsBeingRead));
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            ByteBuffer bytes = chunk.getByteBuffer();
            if (bytes.hasRemaining()) {
                events.add(new Bytes(bytes.slice()));
            }
        }

        @Override
        public void onPartEnd() {
            events.add(new PartEnd());
        }

        @Override
        public void onComplete() {
            events.add(new Complete());
        }

        @Override
        public void onFailure(Throwable failure) {
            events.add(new Failed(failure));
        }
    }
}
