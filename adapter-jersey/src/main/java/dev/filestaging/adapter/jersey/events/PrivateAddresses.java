package dev.filestaging.adapter.jersey.events;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Addresses a webhook must not reach unless the deployment allows it: the host itself, its network, and what only an
 * insider can address (cloud metadata at 169.254.169.254 is link-local). An IPv6 address that carries an IPv4 one
 * is judged by the IPv4 address, since that is where its packets go.
 */
final class PrivateAddresses {
    private PrivateAddresses() {}

    /** What kind of non-public address {@code address} is, or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified"); // 0.0.0.0 and :: reach the host itself
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Kind(bytes);
        }
        if (address instanceof Inet6Address) {
            Optional<InetAddress> carried = carriedIpv4(bytes);
            if (carried.isPresent()) {
                return kind(carried.get()).map(kind -> kind + ", inside IPv6");
            }
            if ((bytes[0] & 0xfe) == 0xfc) {
                return Optional.of("unique-local"); // fc00::/7
            }
        }
        return Optional.empty();
    }

    /** What {@link InetAddress} leaves out for IPv4. */
    private static Optional<String> ipv4Kind(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        if (first == 0) {
            return Optional.of("this-network"); // 0/8: Linux connects 0.x to the host itself
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("shared (carrier-grade NAT)"); // 100.64/10
        }
        if (first >= 240) {
            return Optional.of("reserved"); // 240/4 and the broadcast address 255.255.255.255
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return Optional.of("benchmarking"); // 198.18/15
        }
        if (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) {
            return Optional.of("protocol assignments"); // 192.0.0/24
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address an IPv6 one carries: IPv4-mapped {@code ::ffff:0:0/96} (which the JDK usually turns into an
     * {@link Inet4Address} itself), IPv4-compatible {@code ::/96} (deprecated, still routed by some stacks) and the
     * NAT64 well-known prefix {@code 64:ff9b::/96}, IPv4-translated {@code ::ffff:0:0:0/96}, and 6to4
     * {@code 2002::/16} (the IPv4 address in bytes 2 to 5).
     */
    private static Optional<InetAddress> carriedIpv4(byte[] bytes) {
        if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
            return ipv4(Arrays.copyOfRange(bytes, 2, 6));
        }
        byte[] prefix = Arrays.copyOf(bytes, 12);
        boolean translated = Arrays.equals(prefix, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0});
        if (translated) {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        boolean mapped = Arrays.equals(prefix, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff});
        boolean compatible = Arrays.equals(prefix, new byte[12]);
        boolean nat64 = Arrays.equals(prefix, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0});
        if (!mapped && !compatible && !nat64) {
            return Optional.empty();
        }
        return ipv4(Arrays.copyOfRange(bytes, 12, 16));
    }

    private static Optional<InetAddress> ipv4(byte[] four) {
        try {
            return Optional.of(InetAddress.getByAddress(four));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
