package dev.filestaging.adapter.jersey;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Serves requests that offer a protocol upgrade as plain HTTP/1.1, which RFC 9110 allows a server to do.
 *
 * <p>Why: Java's HttpClient offers {@code Upgrade: h2c} on its first request by default. Grizzly's parser treats any
 * such request as switching protocols at once: it then ignores Content-Length and Transfer-Encoding (so a truncated
 * body is waited for until the read timeout) and writes answers without their content headers. This add-on replaces
 * the parser with one that removes the offer as soon as the headers are parsed.
 */
final class Http11Only implements AddOn {
    private final long maxPayloadRemainderToSkip;

    Http11Only(long maxPayloadRemainderToSkip) {
        this.maxPayloadRemainderToSkip = maxPayloadRemainderToSkip;
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
        parser.setAllowPayloadForUndefinedHttpMethods(false);
        parser.setMaxPayloadRemainderToSkip(maxPayloadRemainderToSkip);
        builder.set(codec, parser);
    }

    private static final class UpgradeDeclined extends HttpServerFilter {
        UpgradeDeclined(boolean chunking, int maxHeaderSize, org.glassfish.grizzly.http.KeepAlive keepAlive,
                        int maxRequestHeaders, int maxResponseHeaders) {
            super(chunking, maxHeaderSize, null, keepAlive, null, maxRequestHeaders, maxResponseHeaders);
        }

        @Override
        protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader httpHeader) {
            httpHeader.getUpgradeDC().recycle();
        }
    }
}
