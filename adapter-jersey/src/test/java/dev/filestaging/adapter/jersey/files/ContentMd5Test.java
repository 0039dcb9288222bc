package dev.filestaging.adapter.jersey.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ContentMd5Test {
    private static final byte[] MD5 = md5("a,b\n");

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void base64_as_rfc_1864_and_s3_have_it_and_hex_as_md5sum_prints_it_name_the_same_digest() {
        assertThat(ContentMd5.parse(Base64.getEncoder().encodeToString(MD5))).isEqualTo(MD5);
        assertThat(ContentMd5.parse(" " + HexFormat.of().formatHex(MD5) + " ")).isEqualTo(MD5);
        assertThat(ContentMd5.parse(HexFormat.of().withUpperCase().formatHex(MD5))).isEqualTo(MD5);
        assertThat(ContentMd5.parse(null)).isNull();
    }

    @Test
    void anything_that_is_not_16_bytes_of_digest_is_a_400_echoing_at_most_64_characters() {
        for (String bad : new String[] {"", "not-a-digest", Base64.getEncoder().encodeToString(new byte[15]),
                "z".repeat(32), "x".repeat(500)}) {
            assertThatThrownBy(() -> ContentMd5.parse(bad)).isInstanceOfSatisfying(ApiProblem.class, problem -> {
                assertThat(problem.problem().status()).isEqualTo(400);
                assertThat(problem.problem().code()).isEqualTo("malformed_content_md5");
                assertThat(problem.problem().detail()).hasSizeLessThan(200);
            });
        }
    }

    @Test
    void the_request_and_the_part_may_both_send_it_but_must_agree() {
        assertThat(ContentMd5.either(MD5, null)).isEqualTo(MD5);
        assertThat(ContentMd5.either(null, MD5)).isEqualTo(MD5);
        assertThat(ContentMd5.either(MD5, MD5.clone())).isEqualTo(MD5);
        assertThat(ContentMd5.either(null, null)).isNull();
        assertThatThrownBy(() -> ContentMd5.either(MD5, md5("other"))).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("different");
    }
}
