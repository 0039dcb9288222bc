package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StandardWebhookSignatureTest {
    /** The "sign function works" case of the specification's reference libraries (JavaScript, Python, Go...). */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_reference_libraries_test_vector_signs_alike() {
        assertThat(StandardWebhookSignature.sign(SECRET, ID, TIMESTAMP, PAYLOAD))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void two_secrets_give_two_signatures_in_their_order_separated_by_a_space() {
        String other = WebhookSecrets.newSecret();
        String header = StandardWebhookSignature.header(List.of(other, SECRET), ID, TIMESTAMP, PAYLOAD);

        assertThat(header.split(" ")).containsExactly(StandardWebhookSignature.sign(other, ID, TIMESTAMP, PAYLOAD),
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void the_id_timestamp_and_every_byte_of_the_body_are_signed() {
        String signed = StandardWebhookSignature.sign(SECRET, ID, TIMESTAMP, PAYLOAD);
        byte[] spaced = "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8);

        assertThat(StandardWebhookSignature.sign(SECRET, ID + "x", TIMESTAMP, PAYLOAD)).isNotEqualTo(signed);
        assertThat(StandardWebhookSignature.sign(SECRET, ID, TIMESTAMP + 1, PAYLOAD)).isNotEqualTo(signed);
        assertThat(StandardWebhookSignature.sign(SECRET, ID, TIMESTAMP, spaced)).isNotEqualTo(signed);
    }

    @Test
    void malformed_secrets_no_secret_and_an_id_with_a_dot_are_refused_without_quoting_the_secret() {
        for (String bad : List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!")) {
            assertThatThrownBy(() -> StandardWebhookSignature.sign(bad, ID, TIMESTAMP, PAYLOAD))
                    .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("base64!");
        }
        assertThatThrownBy(() -> StandardWebhookSignature.header(List.of(), ID, TIMESTAMP, PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhookSignature.sign(SECRET, "msg.1", TIMESTAMP, PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void new_secrets_are_whsec_and_24_random_bytes() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = WebhookSecrets.newSecret();
            assertThat(secret).startsWith("whsec_").hasSize("whsec_".length() + 32);
            assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(24);
            assertThat(WebhookSecrets.key(secret)).hasSize(24);
            secrets.add(secret);
        }
        assertThat(secrets).hasSize(100);
    }
}
