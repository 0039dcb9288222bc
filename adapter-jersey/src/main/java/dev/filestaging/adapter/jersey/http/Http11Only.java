package dev.filestaging.adapter.jersey.http;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.adapter.jersey.problems.Problem;
import dev.filestaging.adapter.jersey.problems.Problems;
import java.io.IOException;
import java.util.function.Consumer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ChunkedTransferEncoding;
import org.glassfish.grizzly.http.HttpCodecFilter.HeaderParsingState;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacketParsing;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.TransferEncoding;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.FastHttpDateFormat;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Grizzly's HTTP/1.1 parser, made strict where leniency lets requests be smuggled ({@link RequestHead},
 * {@link StrictChunked}) and adjusted where it trips real clients.
 *
 * <p>Requests that offer a protocol upgrade are served as plain HTTP/1.1, which RFC 9110 allows a server to do.
 *
 * <p>Why: Java's HttpClient offers {@code Upgrade: h2c} on its first request by default. Grizzly's parser treats any
 * such request as switching protocols at once: it then ignores Content-Length and Transfer-Encoding (so a truncated
 * body is waited for until the read timeout) and writes answers without their content headers. This add-on replaces
 * the parser with one that removes the offer as soon as the headers are parsed.
 */
public final class Http11Only implements AddOn {
    private final long maxPayloadRemainderToSkip;
    private final String problemTypeBase;
    private final Consumer<CompletedRequest> observers;

    /**
     * @param problemTypeBase the service's public URL for the types of problems answered here, or empty
     * @param observers       told of every request the parser refuses, as of every other (the access log, the meters)
     */
    public Http11Only(long maxPayloadRemainderToSkip, String problemTypeBase, Consumer<CompletedRequest> observers) {
        this.maxPayloadRemainderToSkip = maxPayloadRemainderToSkip;
        this.problemTypeBase = problemTypeBase;
        this.observers = observers;
    }

    /** Tells the observers, with the answer's request id on their log lines. */
    private void refusedByParser(String id, CompletedRequest request) {
        RequestIds.during(id, () -> observers.accept(request));
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        // the same settings HttpServer gives the parser it builds (we enable no content encodings)
        int maxHeaderSize = listener.getMaxHttpHeaderSize() == -1
                ? HttpServerFilter.DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
                : listener.getMaxHttpHeaderSize();
        HttpServerFilter parser = new StrictParser(listener.isChunkingEnabled(), maxHeaderSize,
                listener.getKeepAlive(), listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
        // a GET or DELETE may carry a body (RFC 9110: it has no meaning): answered as usual, the body skipped, instead
        // of Grizzly's bare 400
        parser.setAllowPayloadForUndefinedHttpMethods(true);
        parser.setMaxPayloadRemainderToSkip(maxPayloadRemainderToSkip);
        TransferEncoding[] encodings = parser.getTransferEncodings().clone();
        for (TransferEncoding encoding : encodings) {
            parser.removeTransferEncoding(encoding);
        }
        for (TransferEncoding encoding : encodings) {
            parser.addTransferEncoding(encoding instanceof ChunkedTransferEncoding chunked
                    ? new StrictChunked(chunked) : encoding);
        }
        builder.set(codec, parser);
    }

    /**
     * Grizzly's parser behind a strict reading of each request head ({@link RequestHead}): the raw head is checked once
     * it is complete, before Grizzly parses it and before any byte of its body is read; a refused head is answered
     * with its status and a problem, and the connection closed.
     */
    /** Nothing more is read from {@code connection} after the request being answered (which closes it). */
    static void closeAfter(org.glassfish.grizzly.Connection<?> connection) {
        StrictParser.CLOSING.set(connection, true);
    }

    private final class StrictParser extends HttpServerFilter {
        private static final String REFUSAL = "dev.filestaging.head.refusal";
        private static final String METHOD = "dev.filestaging.head.method";
        /** Set on a connection once a request on it asked to close it (or is HTTP/1.0 without keep-alive). */
        private static final Attribute<Boolean> CLOSING = Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
                Http11Only.class.getName() + ".closing");

        StrictParser(boolean chunking, int maxHeaderSize, org.glassfish.grizzly.http.KeepAlive keepAlive,
                     int maxRequestHeaders, int maxResponseHeaders) {
            super(chunking, maxHeaderSize, null, keepAlive, null, maxRequestHeaders, maxResponseHeaders);
        }

        @Override
        protected boolean decodeHttpPacket(FilterChainContext ctx, HttpPacketParsing packet, Buffer input) {
            if (Boolean.TRUE.equals(CLOSING.get(ctx.getConnection()))) {
                // RFC 9112 §9.6: no request after one that closes the connection is processed (Grizzly answered them:
                // a request pipelined after "Connection: close" ran, and its answer was lost)
                ctx.getConnection().closeSilently();
                return false;
            }
            HeaderParsingState parsing = packet.getHeaderParsingState();
            // Grizzly parses nothing before the head is complete (it would fold lines and lower-case names in place)
            int from = parsing.offset;
            int limit = Math.min(input.limit(), parsing.packetLimit);
            int empty = RequestHead.emptyLines(input::get, from, limit);
            if (empty > 0) {
                // RFC 9112 §2.2: empty lines before the request line are ignored; the head starts after them
                from += empty;
                parsing.offset = from;
                parsing.start = from;
                input.position(from);
            }
            // for the access log and the meters, should the head be refused (they keep only HTTP's own methods)
            ((HttpRequestPacket) packet).getAttributes()
                    .setAttribute(METHOD, RequestHead.method(input::get, from, limit));
            int end = RequestHead.end(input::get, from, limit);
            if (end < 0) {
                if (input.limit() >= parsing.packetLimit) {
                    boolean requestLine = !containsLf(input, from, limit);
                    refuse(packet, requestLine
                            ? new RequestHead.Refusal(414, "the request line is longer than this server accepts ("
                                    + maxHeadersSize + " bytes with the headers)")
                            : new RequestHead.Refusal(431, "the request's headers are larger than this server accepts;"
                                    + " send fewer or shorter headers"));
                }
                return false;
            }
            byte[] head = new byte[end - from];
            for (int i = 0; i < head.length; i++) {
                head[i] = input.get(from + i);
            }
            RequestHead.Refusal refusal = RequestHead.check(head);
            if (refusal != null) {
                refuse(packet, refusal);
            }
            return super.decodeHttpPacket(ctx, packet, input);
        }

        private static boolean containsLf(Buffer input, int from, int to) {
            for (int i = from; i < to; i++) {
                if (input.get(i) == '\n') {
                    return true;
                }
            }
            return false;
        }

        /** Answers the request with {@code refusal} (through {@link #onHttpHeaderError}) and closes the connection. */
        private void refuse(HttpPacketParsing packet, RequestHead.Refusal refusal) {
            HttpRequestPacket request = (HttpRequestPacket) packet;
            request.getAttributes().setAttribute(REFUSAL, refusal);
            request.getResponse().setStatus(refusal.status());
            throw new IllegalStateException(refusal.reason());
        }

        @Override
        protected boolean onHttpHeaderParsed(HttpHeader header, Buffer buffer, FilterChainContext ctx) {
            if (header instanceof HttpRequestPacket request) {
                String version = request.getProtocolString();
                if (version != null && version.startsWith("HTTP/1.") && !version.equals("HTTP/1.0")) {
                    // RFC 9110 §2.5: a later minor version of 1 is served as the latest this server knows
                    request.setProtocol(Protocol.HTTP_1_1);
                }
                if (request.getHeaders().getHeader(Header.TransferEncoding) != null) {
                    // RequestHead let it through, so it is exactly chunked; Grizzly sees chunked only where the value
                    // starts with it (not in ", chunked" or "\tchunked"), and would read no body at all
                    request.setContentLengthLong(-1);
                    request.setChunked(true);
                }
            }
            boolean error = super.onHttpHeaderParsed(header, buffer, ctx);
            if (!error && !header.getProcessingState().isKeepAlive()) {
                CLOSING.set(ctx.getConnection(), true);
            }
            return error;
        }

        @Override
        protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader httpHeader) {
            httpHeader.getUpgradeDC().recycle();
        }

        /**
         * A body whose framing is broken (see {@link StrictChunked}) is not answered here, as Grizzly would, in the
         * middle of the resource's own answer: the resource sees its body fail and answers once, with its request id,
         * in the access log. The connection is closed after that answer, and nothing more is read from it.
         */
        @Override
        protected void onHttpContentError(HttpHeader httpHeader, FilterChainContext ctx, Throwable t) {
            httpHeader.setContentBroken(true);
            httpHeader.getProcessingState().setKeepAlive(false);
            CLOSING.set(ctx.getConnection(), true);
        }

        /** Headers over the limit are 431 (RFC 6585), not a bare 400. */
        @Override
        protected void onHttpHeaderError(HttpHeader httpHeader, FilterChainContext ctx, Throwable t) throws IOException {
            if (httpHeader instanceof HttpRequestPacket request && t != null && t.getMessage() != null
                    && t.getMessage().contains("too large") && request.getResponse().getStatus() < 400) {
                request.getResponse().setStatus(431);
            }
            if (httpHeader instanceof HttpRequestPacket request && request.getMethodDC().isNull()) {
                // no method was read (binary bytes, the rest of a body longer than its Content-Length): Grizzly's
                // answer asks for one and failed with a NullPointerException, logged with its stack trace
                request.setMethod(org.glassfish.grizzly.http.Method.GET);
            }
            super.onHttpHeaderError(httpHeader, ctx, t);
        }

        /**
         * Errors the parser answers itself (unreadable requests) get a problem body, a date and a request id like every
         * other answer, and are seen by the access log and the meters.
         */
        @Override
        protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
            int status = response.getStatus();
            HttpRequestPacket request = response.getRequest();
            Object refused = request == null ? null : request.getAttributes().getAttribute(REFUSAL);
            ApiProblem problem = refused instanceof RequestHead.Refusal refusal
                    ? (refusal.status() == 431 ? Problems.headersTooLarge() : Problems.unreadableRequest(status,
                            refusal.reason()))
                    : status == 431 ? Problems.headersTooLarge() : Problems.unreadableRequest(status);
            String id = java.util.UUID.randomUUID().toString();
            if (request != null) {
                // the answer is HTTP/1.1 whatever the request line said (Grizzly writes no content headers for 0.9)
                request.setProtocol(Protocol.HTTP_1_1);
            }
            byte[] body = problem.problem().typeUnder(problemTypeBase).forRequest(id).json();
            response.setReasonPhrase(org.glassfish.grizzly.http.util.HttpStatus.getHttpStatus(status).getReasonPhrase());
            response.setContentType(Problem.MEDIA_TYPE);
            response.setContentLength(body.length);
            SecurityHeadersFilter.HEADERS.forEach(response::setHeader);
            response.setHeader("Date", FastHttpDateFormat.getCurrentDate());
            response.setHeader(RequestIds.HEADER, id);
            response.setHeader("Connection", "close");
            refusedByParser(id, new CompletedRequest(request == null ? null
                    : (String) request.getAttributes().getAttribute(METHOD),
                    CompletedRequest.UNPARSED, status, problem.problem().code(), null, 0, 0, System.nanoTime()));
            return HttpContent.builder(response).content(Buffers.wrap(null, body)).last(true).build();
        }
    }
}
