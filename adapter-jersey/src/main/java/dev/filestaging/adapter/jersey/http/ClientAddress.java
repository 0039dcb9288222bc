package dev.filestaging.adapter.jersey.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Who sent a request, as far as this service can tell: the connection's peer, or, when the peer is a trusted proxy
 * ({@code FILES_TRUSTED_PROXIES}), the nearest address in {@code X-Forwarded-For} that is not one. Read from the right:
 * each trusted proxy appends the peer it saw, so only the entries right of the first untrusted one are believed; what
 * a client writes to the left of them is never used. For counting a source's failures, an IPv6 address stands for
 * its /64, which one client usually holds whole.
 */
public final class ClientAddress {
    /** The request property {@link ContinueGate} puts the address in. */
    static final String PROPERTY = "dev.filestaging.client-address";
    /** Parsed only when it is an IP literal: {@link InetAddress#getByName} would look a host name up in the DNS. */
    private static final Pattern IP_LITERAL = Pattern.compile(
            "[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z]+)?");
    private static final int MAX_LENGTH = 64;

    private ClientAddress() {}

    /**
     * @param peer         the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} values joined by commas, or null
     */
    static String resolve(String peer, String forwardedFor, TrustedProxies proxies) {
        String address = peer == null ? "unknown" : peer;
        if (forwardedFor == null) {
            return address;
        }
        int end = forwardedFor.length();
        while (isLiteral(address) && proxies.trusts(address) && end > 0) {
            int comma = forwardedFor.lastIndexOf(',', end - 1);
            String entry = forwardedFor.substring(comma + 1, end).strip();
            end = Math.max(comma, 0);
            if (!entry.isEmpty()) {
                address = entry;
            }
        }
        return address;
    }

    /** The key failures of the request's sender are counted under: its address, or its /64 for IPv6. */
    public static String sourceOf(ContainerRequestContext request) {
        Object property = request.getProperty(PROPERTY);
        String address = property instanceof String text ? text : "unknown";
        if (address.length() > MAX_LENGTH) {
            return address.substring(0, MAX_LENGTH);
        }
        if (isLiteral(address)) {
            try {
                InetAddress ip = InetAddress.getByName(address);
                if (ip instanceof Inet6Address) {
                    byte[] prefix = java.util.Arrays.copyOf(ip.getAddress(), 8);
                    return HexFormat.of().formatHex(prefix) + "::/64";
                }
                return ip.getHostAddress();
            } catch (UnknownHostException notAnAddress) {
                return address;
            }
        }
        return address;
    }

    private static boolean isLiteral(String address) {
        return address.length() <= MAX_LENGTH && IP_LITERAL.matcher(address).matches();
    }
}
