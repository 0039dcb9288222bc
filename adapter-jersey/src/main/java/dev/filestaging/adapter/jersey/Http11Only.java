package dev.filestaging.adapter.jersey;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ChunkedTransferEncoding;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.ParsingResult;
import org.glassfish.grizzly.http.TransferEncoding;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Grizzly's HTTP/1.1 parser, adjusted where it trips real clients.
 *
 * <p>Requests that offer a protocol upgrade are served as plain HTTP/1.1, which RFC 9110 allows a server to do.
 *
 * <p>Why: Java's HttpClient offers {@code Upgrade: h2c} on its first request by default. Grizzly's parser treats any
 * such request as switching protocols at once: it then ignores Content-Length and Transfer-Encoding (so a truncated
 * body is waited for until the read timeout) and writes answers without their content headers. This add-on replaces
 * the parser with one that removes the offer as soon as the headers are parsed.
 */
final class Http11Only implements AddOn {
    private final long maxPayloadRemainderToSkip;
    private final String problemTypeBase;

    /** @param problemTypeBase the service's public URL for the types of problems answered here, or empty */
    Http11Only(long maxPayloadRemainderToSkip, String problemTypeBase) {
        this.maxPayloadRemainderToSkip = maxPayloadRemainderToSkip;
        this.problemTypeBase = problemTypeBase;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        // the same settings HttpServer gives the parser it builds (we enable no content encodings)
        int maxHeaderSize = listener.getMaxHttpHeaderSize() == -1
                ? HttpServerFilter.DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
                : listener.getMaxHttpHeaderSize();
        HttpServerFilter parser = new UpgradeDeclined(listener.isChunkingEnabled(), maxHeaderSize,
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
                    ? new HeadersBeforeFirstChunk(chunked) : encoding);
        }
        builder.set(codec, parser);
    }

    /**
     * Chunked bodies, with the request handed on as soon as its headers are parsed.
     *
     * <p>Why: Grizzly's chunked decoder passes a request on only with its first chunk, but a client that sent
     * {@code Expect: 100-continue} sends no chunk before it gets {@code 100 Continue} (or a final answer) from the
     * handler: Java's HttpClient waited in vain, curl for a second on every upload. Fixed-length bodies are handed on
     * with their headers already; this makes chunked ones behave the same.
     */
    private static final class HeadersBeforeFirstChunk implements TransferEncoding {
        private final ChunkedTransferEncoding chunked;

        HeadersBeforeFirstChunk(ChunkedTransferEncoding chunked) {
            this.chunked = chunked;
        }

        @Override
        public boolean wantDecode(HttpHeader header) {
            return chunked.wantDecode(header);
        }

        @Override
        public boolean wantEncode(HttpHeader header) {
            return chunked.wantEncode(header);
        }

        @Override
        public void prepareSerialize(FilterChainContext ctx, HttpHeader header, HttpContent content) {
            chunked.prepareSerialize(ctx, header, content);
        }

        @Override
        public ParsingResult parsePacket(FilterChainContext ctx, HttpHeader header, Buffer input) {
            ParsingResult result = chunked.parsePacket(ctx, header, input);
            if (result.getHttpContent() != null || result.isSendHeaderUpstream()) {
                return result;
            }
            // no chunk yet: let the headers go on alone (Grizzly does so only for a request just parsed)
            Buffer remainder = result.getRemainderBuffer();
            result.recycle();
            return ParsingResult.create(null, remainder, true);
        }

        @Override
        public Buffer serializePacket(FilterChainContext ctx, HttpContent content) {
            return chunked.serializePacket(ctx, content);
        }
    }

    private final class UpgradeDeclined extends HttpServerFilter {

        UpgradeDeclined(boolean chunking, int maxHeaderSize, org.glassfish.grizzly.http.KeepAlive keepAlive,
                        int maxRequestHeaders, int maxResponseHeaders) {
            super(chunking, maxHeaderSize, null, keepAlive, null, maxRequestHeaders, maxResponseHeaders);
        }

        @Override
        protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader httpHeader) {
            httpHeader.getUpgradeDC().recycle();
        }

        /** Headers over the limit are 431 (RFC 6585), not a bare 400. */
        @Override
        protected void onHttpHeaderError(HttpHeader httpHeader, FilterChainContext ctx, Throwable t) throws IOException {
            if (httpHeader instanceof HttpRequestPacket request && t != null && t.getMessage() != null
                    && t.getMessage().contains("too large")) {
                request.getResponse().setStatus(431);
                request.getResponse().setReasonPhrase("Request Header Fields Too Large");
            }
            super.onHttpHeaderError(httpHeader, ctx, t);
        }

        /** Errors the parser answers itself (unreadable requests) get a problem body like every other answer. */
        @Override
        protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
            int status = response.getStatus();
            byte[] body = (status == 431 ? Problems.headersTooLarge() : Problems.unreadableRequest(status))
                    .problem().typeUnder(problemTypeBase).json();
            response.setContentType(Problem.MEDIA_TYPE);
            response.setContentLength(body.length);
            SecurityHeadersFilter.HEADERS.forEach(response::setHeader);
            return HttpContent.builder(response).content(Buffers.wrap(null, body)).last(true).build();
        }
    }
}
