package dev.filestaging.adapter.jersey.http;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ChunkedTransferEncoding;
import org.glassfish.grizzly.http.HttpBrokenContentException;
import org.glassfish.grizzly.http.HttpCodecFilter.ContentParsingState;
import org.glassfish.grizzly.http.HttpCodecFilter.HeaderParsingState;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacketParsing;
import org.glassfish.grizzly.http.ParsingResult;
import org.glassfish.grizzly.http.TransferEncoding;

/**
 * Chunked request bodies read exactly as RFC 9112 §7.1 writes them; answers are still encoded by Grizzly's coder.
 *
 * <p>Why not Grizzly's decoder: it skips any bytes between a chunk's data and the next LF (so a chunk longer than its
 * size is taken), reads an empty size line as the last chunk, takes spaces around the size and a bare LF as a line end,
 * and refuses chunk extensions, which a recipient must ignore. Each of those reads some bodies differently from a
 * proxy in front, which is how a second request is smuggled in one body. Here a size is 1 to 15 hex digits, optionally
 * followed by extensions (ignored), data is followed by exactly CRLF, lines end in CRLF only, and the trailer section
 * is read as header lines and dropped. Any other byte is a broken body: 400, and the connection is closed.
 *
 * <p>The request is handed on as soon as its headers are parsed, before the first chunk: a client that sent
 * {@code Expect: 100-continue} sends no chunk before it gets {@code 100 Continue} (or a final answer) from the
 * handler (Grizzly's decoder waited for the first chunk: Java's HttpClient waited in vain, curl for a second on every
 * upload).
 *
 * <p>The state lives in Grizzly's parsing state of the request (free once the head is parsed), the memory is constant
 * and the framing between two data runs is bounded.
 */
final class StrictChunked implements TransferEncoding {
    /** The most framing bytes (a size line with extensions, or the trailer section) taken between data. */
    static final int MAX_FRAMING_BYTES = 8192;
    /** The longest chunk size: 15 hex digits, under 2^60, never overflows. */
    private static final int MAX_SIZE_DIGITS = 15;

    private static final int SIZE = 0;
    private static final int SIZE_WHITESPACE = 1;
    private static final int EXTENSION = 2;
    private static final int SIZE_LF = 3;
    private static final int DATA = 4;
    private static final int DATA_CR = 5;
    private static final int DATA_LF = 6;
    private static final int TRAILER_LINE = 7;
    private static final int TRAILER_NAME = 8;
    private static final int TRAILER_VALUE = 9;
    private static final int TRAILER_LF = 10;
    private static final int END_LF = 11;
    /** A framing error found before the request was handed on: refused on the next call (see parsePacket). */
    private static final int BROKEN = 12;

    private final ChunkedTransferEncoding encoder;

    StrictChunked(ChunkedTransferEncoding encoder) {
        this.encoder = encoder;
    }

    @Override
    public boolean wantDecode(HttpHeader header) {
        return header.isChunked();
    }

    @Override
    public boolean wantEncode(HttpHeader header) {
        return encoder.wantEncode(header);
    }

    @Override
    public void prepareSerialize(FilterChainContext ctx, HttpHeader header, HttpContent content) {
        encoder.prepareSerialize(ctx, header, content);
    }

    @Override
    public Buffer serializePacket(FilterChainContext ctx, HttpContent content) {
        return encoder.serializePacket(ctx, content);
    }

    @Override
    public ParsingResult parsePacket(FilterChainContext ctx, HttpHeader header, Buffer buffer) {
        HttpPacketParsing parsing = (HttpPacketParsing) header;
        // the head is parsed: its parsing state is ours. state: where we are; subState: size digits so far;
        // parsingNumericValue: the size; offset: framing bytes since the last data; checkpoint2: -1 until the request
        // was handed on
        HeaderParsingState state = parsing.getHeaderParsingState();
        ContentParsingState content = parsing.getContentParsingState();
        boolean first = state.checkpoint2 == -1;
        state.checkpoint2 = 0;
        int limit = buffer.limit();
        for (int i = buffer.position(); i < limit; ) {
            if (state.state == DATA) {
                long remaining = content.chunkRemainder;
                Buffer rest = null;
                if (limit - i > remaining) {
                    rest = buffer.split((int) (i + remaining));
                    content.chunkRemainder = 0;
                } else {
                    content.chunkRemainder -= limit - i;
                }
                if (content.chunkRemainder == 0) {
                    state.state = DATA_CR;
                }
                buffer.position(i);
                buffer.shrink();
                return ParsingResult.create(header.httpContentBuilder().content(buffer).build(), rest);
            }
            try {
                step(state, content, buffer.get(i) & 0xff);
            } catch (HttpBrokenContentException e) {
                if (!first) {
                    throw e;
                }
                // The request has not been handed on yet: a broken body now would reach the server before its request
                // and fail there with a stack trace. Hand the request on, and refuse the body on the next call, which
                // the rest of the buffer (at least the offending byte) brings at once; the resource then answers.
                state.state = BROKEN;
                return ParsingResult.create(null, buffer.split(i), true);
            }
            i++;
            if (content.isLastChunk) {
                Buffer rest = i < limit ? buffer.split(i) : null;
                return ParsingResult.create(header.httpTrailerBuilder().build(), rest);
            }
        }
        // framing only so far: the headers go on alone (Grizzly uses this only for a request just parsed)
        return ParsingResult.create(null, null, true);
    }

    /** One framing byte. */
    private static void step(HeaderParsingState state, ContentParsingState content, int b) {
        if (++state.offset > MAX_FRAMING_BYTES) {
            throw broken("a chunk size line or the trailer section is over " + MAX_FRAMING_BYTES + " bytes");
        }
        switch (state.state) {
            case SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0 && b < 128) {
                    if (++state.subState > MAX_SIZE_DIGITS) {
                        throw broken("a chunk size over " + MAX_SIZE_DIGITS + " hex digits");
                    }
                    state.parsingNumericValue = state.parsingNumericValue * 16 + digit;
                } else if (state.subState == 0) {
                    throw broken("a chunk size is not hex digits");
                } else if (b == ';') {
                    state.state = EXTENSION;
                } else if (b == ' ' || b == '\t') {
                    state.state = SIZE_WHITESPACE;
                } else if (b == '\r') {
                    state.state = SIZE_LF;
                } else {
                    throw broken("a chunk size is followed by something else than an extension or CRLF");
                }
            }
            case SIZE_WHITESPACE -> {
                if (b == ';') {
                    state.state = EXTENSION;
                } else if (b != ' ' && b != '\t') {
                    throw broken("whitespace after a chunk size that no extension follows");
                }
            }
            case EXTENSION -> {
                if (b == '\r') {
                    state.state = SIZE_LF;
                } else if (!fieldByte(b)) {
                    throw broken("a chunk extension holds a control character");
                }
            }
            case SIZE_LF -> {
                expect(b, '\n');
                if (state.parsingNumericValue == 0) {
                    state.state = TRAILER_LINE;
                } else {
                    content.chunkRemainder = state.parsingNumericValue;
                    state.state = DATA;
                    state.offset = 0;
                }
            }
            case DATA_CR -> {
                expect(b, '\r');
                state.state = DATA_LF;
            }
            case DATA_LF -> {
                expect(b, '\n');
                state.state = SIZE;
                state.subState = 0;
                state.parsingNumericValue = 0;
            }
            case TRAILER_LINE -> {
                if (b == '\r') {
                    state.state = END_LF;
                } else if (token(b)) {
                    state.state = TRAILER_NAME;
                } else {
                    throw broken("a trailer line does not start with a field name");
                }
            }
            case TRAILER_NAME -> {
                if (b == ':') {
                    state.state = TRAILER_VALUE;
                } else if (!token(b)) {
                    throw broken("a trailer field name is not a token");
                }
            }
            case TRAILER_VALUE -> {
                if (b == '\r') {
                    state.state = TRAILER_LF;
                } else if (!fieldByte(b)) {
                    throw broken("a trailer field value holds a control character");
                }
            }
            case TRAILER_LF -> {
                expect(b, '\n');
                state.state = TRAILER_LINE;
            }
            case END_LF -> {
                expect(b, '\n');
                content.isLastChunk = true;
            }
            case BROKEN -> throw broken("the framing is broken");
            default -> throw new IllegalStateException("chunked decoding in state " + state.state);
        }
    }

    private static void expect(int b, char wanted) {
        if (b != wanted) {
            throw broken(wanted == '\n' ? "a CR is not followed by LF" : "a chunk's data is not followed by CRLF");
        }
    }

    /** HTAB, visible ASCII, space and obs-text: what a field value (or an extension) may hold. */
    private static boolean fieldByte(int b) {
        return b == '\t' || (b >= 0x20 && b != 0x7f);
    }

    private static boolean token(int b) {
        return b < 128 && (Character.isLetterOrDigit(b) || "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }

    private static HttpBrokenContentException broken(String reason) {
        return new HttpBrokenContentException("chunked body: " + reason);
    }
}
