package dev.filestaging.adapter.jersey.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.util.InetAddressPattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The peers whose {@code X-Forwarded-*} headers are believed ({@code FILES_TRUSTED_PROXIES}): addresses and CIDR
 * ranges, IPv4 or IPv6, matched by Jetty's {@link InetAddressSet}. From any other peer those headers are removed before
 * the request is read, so a client cannot steer the addresses the API builds.
 */
public final class TrustedProxies {
    /** The headers a trusted proxy may set. */
    static final List<String> HEADERS = List.of("X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-For",
            "X-Forwarded-Port", "X-Forwarded-Prefix", "Forwarded");

    private final InetAddressSet addresses = new InetAddressSet();
    private final boolean none;

    private TrustedProxies(List<String> patterns) {
        patterns.forEach(pattern -> addresses.add(pattern.strip()));
        this.none = patterns.isEmpty();
    }

    /**
     * @param patterns addresses ({@code 10.0.0.7}, {@code ::1}) and CIDR ranges ({@code 10.0.0.0/8}); empty for none
     * @throws IllegalArgumentException naming a pattern that is neither
     */
    public static TrustedProxies of(List<String> patterns) {
        for (String pattern : patterns) {
            String address = pattern.strip();
            if (address.isEmpty() || !address.matches("[0-9A-Fa-f:.]+(/\\d{1,3})?")) {
                throw new IllegalArgumentException("'" + pattern + "' is not an IP address or CIDR range");
            }
            try {
                InetAddressPattern.from(address);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + pattern + "' is not an IP address or CIDR range");
            }
        }
        return new TrustedProxies(patterns);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** True when {@code peer} (the connection's remote address, as text) is a trusted proxy. */
    boolean trusts(String peer) {
        if (none || peer == null) {
            return false;
        }
        try {
            return addresses.test(InetAddress.getByName(peer.toLowerCase(Locale.ROOT)));
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
