package dev.filestaging.adapter.jersey.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} of Standard Webhooks' symmetric scheme: {@code v1,} and the Base64 of
 * HMAC-SHA256 over {@code {id}.{timestamp}.{body}}, keyed by the secret's decoded key. The body is signed as the exact
 * bytes sent; a receiver that parses and re-serializes the JSON first will not verify it, which is the receiver's
 * concern, as the specification says.
 */
public final class StandardWebhookSignature {
    /** The version of the symmetric scheme; {@code v1a} would be the asymmetric one. */
    static final String VERSION = "v1";

    private StandardWebhookSignature() {}

    /**
     * One signature, {@code v1,<base64>}.
     *
     * @param id        the {@code webhook-id}; with no {@code .}, so the signed content splits one way only
     * @param timestamp the {@code webhook-timestamp}, Unix seconds
     * @throws IllegalArgumentException when the secret is malformed ({@link WebhookSecrets#key}) or the id has a dot
     */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        if (id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a webhook id has no '.'");
        }
        Mac mac = hmac(WebhookSecrets.key(secret));
        mac.update((id + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8));
        return VERSION + ',' + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /**
     * The header's value: one signature per secret, in their order, separated by spaces, so that a receiver holding
     * either the old or the new secret verifies the message while a secret is rotated.
     *
     * @throws IllegalArgumentException when there is no secret or one is malformed
     */
    public static String header(List<String> secrets, String id, long timestamp, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook is signed with at least one secret");
        }
        return secrets.stream().map(secret -> sign(secret, id, timestamp, body)).collect(Collectors.joining(" "));
    }

    private static Mac hmac(byte[] key) {
        try {
            // a Mac is not thread-safe: one per signature, which costs microseconds
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256 for any non-empty key", e);
        }
    }
}
