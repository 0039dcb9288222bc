package dev.filestaging.adapter.jersey.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which URLs may receive events: {@code http} or {@code https} with a host and no user information, and unless the
 * deployment allows private targets, a host none of whose addresses is private ({@link PrivateAddresses}). Every
 * address counts, not only the first: a name that resolves to one public and one private address could be connected
 * to either.
 *
 * <p>The host is resolved again by the HTTP client when it connects, so a name whose DNS answer changes between the
 * check and the connection (DNS rebinding) can still reach a private address. The JDK caches a positive answer for
 * 30 s by default ({@code networkaddress.cache.ttl}), which narrows the window to a check and a connection that
 * straddle the cache's expiry; closing it would mean connecting to the checked address while presenting the name for
 * {@code Host} and TLS, which java.net.http does not offer. Deployments that must close it route webhooks through an
 * egress proxy that filters addresses (as Standard Webhooks recommends, e.g. smokescreen).
 */
final class WebhookTargets {
    private static final Set<String> SCHEMES = Set.of("http", "https");

    /** Finds a host's addresses; {@link InetAddress#getAllByName} outside tests. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    WebhookTargets(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * Why {@code url} may not receive events, or empty when it may. Resolves the host unless private targets are
     * allowed; the JDK's resolver has no timeout of its own, so a slow DNS server takes as long as the system's
     * resolver lets it ({@code timeout} and {@code attempts} in resolv.conf).
     */
    /** Whether {@code host} is dotted numbers of which one is written with a leading zero. */
    private static boolean octalLooking(String host) {
        if (!host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return false;
        }
        for (String part : host.split("\\.")) {
            if (part.length() > 1 && part.charAt(0) == '0') {
                return true;
            }
        }
        return false;
    }

    Optional<String> refusal(URI url) {
        if (url == null || url.getScheme() == null || !SCHEMES.contains(url.getScheme().toLowerCase(Locale.ROOT))) {
            return Optional.of("only http and https URLs can receive events");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("a URL with user information (user@host) is not accepted");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            // also a host java.net.URI cannot parse as one, such as a name with '_'
            return Optional.of("the URL has no host name or address");
        }
        if (octalLooking(host)) {
            // 0177.0.0.1 is 127.0.0.1 to curl and C's inet_aton, 177.0.0.1 to Java: refused, not guessed at
            return Optional.of("an IPv4 address with leading zeros (" + host + ") means different hosts to different"
                    + " programs; write it without them");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("the host " + host + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = PrivateAddresses.kind(address);
            if (kind.isPresent()) {
                return Optional.of("the host " + host + " has the address " + address.getHostAddress() + ", which is "
                        + kind.get() + "; private targets are not allowed");
            }
        }
        return Optional.empty();
    }
}
