package dev.filestaging.adapter.jersey.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which targets are refused, with address literals and a stand-in resolver: no DNS is asked. */
class WebhookTargetsTest {
    private final List<String> resolved = new ArrayList<>();
    private final Map<String, List<String>> names = Map.of(
            "hooks.example.com", List.of("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
            "split.example.com", List.of("93.184.215.14", "10.0.0.7"),
            "metadata.example.com", List.of("169.254.169.254"));
    private final WebhookTargets strict = new WebhookTargets(false, this::resolve);
    private final WebhookTargets lenient = new WebhookTargets(true, this::resolve);

    @Test
    void non_public_addresses_of_every_kind_are_refused() {
        for (String host : List.of("127.0.0.1", "127.8.9.10", "[::1]", "0.0.0.0", "0.1.2.3", "[::]", "10.1.2.3",
                "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "[fe80::1]", "[fc00::1]",
                "[fd12:3456::1]", "[fec0::1]", "224.0.0.1", "[ff02::1]", "100.64.0.1", "100.127.255.255",
                "255.255.255.255", "[::ffff:127.0.0.1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]",
                "[::127.0.0.1]", "[64:ff9b::10.0.0.1]", "[64:ff9b::7f00:1]",
                // found by the hostile tester: reserved, benchmarking and protocol ranges, 6to4 and IPv4-translated
                "240.0.0.1", "198.18.0.1", "198.19.255.255", "192.0.0.1", "[2002:7f00:1::]", "[::ffff:0:127.0.0.1]")) {
            assertThat(strict.refusal(URI.create("http://" + host + "/hook"))).as(host).isPresent()
                    .hasValueSatisfying(why -> assertThat(why).contains("private targets are not allowed"));
        }
    }

    @Test
    void an_address_with_leading_zeros_is_refused_whatever_the_setting_since_programs_read_it_differently() {
        // 0177.0.0.1 is 127.0.0.1 to curl and inet_aton, 177.0.0.1 to Java (found by the hostile tester)
        for (String host : List.of("0177.0.0.1", "10.0.0.01", "00.0.0.0")) {
            assertThat(strict.refusal(URI.create("http://" + host + "/hook"))).as(host)
                    .hasValueSatisfying(why -> assertThat(why).contains("leading zeros"));
            assertThat(lenient.refusal(URI.create("http://" + host + "/hook"))).as(host).isPresent();
        }
        assertThat(resolved).isEmpty();
    }

    @Test
    void public_addresses_next_to_the_private_ranges_are_accepted() {
        for (String host : List.of("8.8.8.8", "172.15.255.255", "172.32.0.1", "192.167.255.255", "100.63.255.255",
                "100.128.0.1", "11.0.0.1", "[2606:4700:4700::1111]", "[64:ff9b::8.8.8.8]", "[::ffff:8.8.8.8]",
                "198.17.255.255", "198.20.0.1", "192.0.1.1", "223.255.255.254", "[2002:808:808::]", "8.8.8.80")) {
            assertThat(strict.refusal(URI.create("https://" + host + "/hook"))).as(host).isEmpty();
        }
    }

    @Test
    void a_name_is_refused_when_any_of_its_addresses_is_private() {
        assertThat(strict.refusal(URI.create("https://hooks.example.com/in"))).isEmpty();
        assertThat(strict.refusal(URI.create("https://split.example.com/in"))).hasValueSatisfying(
                why -> assertThat(why).contains("split.example.com", "10.0.0.7", "private"));
        assertThat(strict.refusal(URI.create("https://metadata.example.com/"))).hasValueSatisfying(
                why -> assertThat(why).contains("169.254.169.254", "link-local"));
        assertThat(strict.refusal(URI.create("https://nowhere.example.com/"))).hasValueSatisfying(
                why -> assertThat(why).contains("cannot be resolved"));
    }

    @Test
    void scheme_host_and_user_information_are_checked_first_and_without_resolving() {
        for (String url : List.of("ftp://x/", "file:///etc/passwd", "gopher://hooks.example.com/", "hooks.example.com",
                "/relative", "mailto:a@example.com", "http://user@hooks.example.com/", "https://:pw@hooks.example.com/",
                "http:///path-only", "http://bad_host_name/")) {
            URI target = URI.create(url);
            assertThat(strict.refusal(target)).as(url).isPresent();
            assertThat(lenient.refusal(target)).as(url).isPresent();
        }
        assertThat(resolved).isEmpty();
        assertThat(strict.refusal(null)).isPresent();
    }

    @Test
    void with_private_targets_allowed_nothing_is_resolved_and_any_host_goes() {
        assertThat(lenient.refusal(URI.create("http://127.0.0.1:8080/hook"))).isEmpty();
        assertThat(lenient.refusal(URI.create("HTTPS://split.example.com/hook"))).isEmpty();
        assertThat(resolved).isEmpty();
    }

    private InetAddress[] resolve(String host) throws UnknownHostException {
        resolved.add(host);
        if (names.containsKey(host)) {
            List<InetAddress> addresses = new ArrayList<>();
            for (String literal : names.get(host)) {
                addresses.add(InetAddress.getByName(literal));
            }
            return addresses.toArray(InetAddress[]::new);
        }
        if (host.startsWith("[") || Character.isDigit(host.charAt(0))) {
            return InetAddress.getAllByName(host); // a literal: parsed, not looked up
        }
        throw new UnknownHostException(host);
    }
}
