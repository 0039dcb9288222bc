package dev.filestaging.adapter.jersey.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paged listing over HTTP: limit, cont, pattern; stable while files come and go. */
class ListingPagesHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiUnderTest api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return api.get(pathAndQuery);
    }

    private void upload(String name) throws Exception {
        api.upload("/v1/files", name, (name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void delete(String name) throws Exception {
        api.send(api.authorized("/v1/files/" + name).DELETE());
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("files").forEach(file -> names.add(file.get("name").asText()));
        return names;
    }

    @Test
    void pages_walk_every_file_once_with_a_token_and_a_next_link_and_whole_area_space() throws Exception {
        for (int i = 0; i < 7; i++) {
            upload("f" + i + ".csv");
        }
        upload("other.json");

        HttpResponse<String> first = get("/v1/files?limit=3&pattern=*.csv");
        JsonNode firstPage = JSON.readTree(first.body());
        assertThat(names(firstPage)).containsExactly("f0.csv", "f1.csv", "f2.csv");
        assertThat(firstPage.get("space").get("usedBytes").asLong()).as("space is of the whole area").isEqualTo(7 * 7 + 11);
        String cont = firstPage.get("cont").asText();
        assertThat(first.headers().firstValue("Link")).contains(
                "</v1/files?limit=3&pattern=%2A.csv&cont=" + cont + ">; rel=\"next\"");

        JsonNode second = JSON.readTree(get("/v1/files?limit=3&pattern=*.csv&cont=" + cont).body());
        assertThat(names(second)).containsExactly("f3.csv", "f4.csv", "f5.csv");
        JsonNode last = JSON.readTree(get("/v1/files?limit=3&pattern=*.csv&cont=" + second.get("cont").asText()).body());
        assertThat(names(last)).containsExactly("f6.csv");
        assertThat(last.has("cont")).isFalse();
    }

    @Test
    void without_paging_parameters_the_answer_is_the_polaris_one() throws Exception {
        upload("a.csv");

        JsonNode all = JSON.readTree(get("/v1/files").body());

        assertThat(all.fieldNames()).toIterable().containsExactly("files", "space");
        assertThat(names(all)).containsExactly("a.csv");
    }

    @Test
    void bad_limits_tokens_and_patterns_are_400_naming_the_parameter() throws Exception {
        for (String query : List.of("limit=0", "limit=10001", "limit=ten", "cont=garbage", "cont=n1.%21%21",
                "pattern=%5Babc")) {
            HttpResponse<String> response = get("/v1/files?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("code").asText()).isEqualTo("invalid_query");
            assertThat(problem.get("detail").asText()).contains("'" + query.substring(0, query.indexOf('=')) + "'");
        }
    }

    @Test
    void a_walk_lists_every_file_that_exists_throughout_exactly_once_while_others_come_and_go() throws Exception {
        TreeSet<String> stable = new TreeSet<>();
        for (int i = 0; i < 30; i += 2) {
            String name = String.format("s%02d.csv", i);
            upload(name);
            stable.add(name);
        }
        List<String> seen = new ArrayList<>();
        String cont = null;
        int churn = 1;
        do {
            JsonNode page = JSON.readTree(get("/v1/files?limit=4" + (cont == null ? "" : "&cont=" + cont)).body());
            seen.addAll(names(page));
            cont = page.has("cont") ? page.get("cont").asText() : null;
            // between pages: a new name sorts before and after the cursor, and an odd one is deleted again
            upload(String.format("s%02d.csv", churn));
            upload("a-" + churn + ".csv");
            delete(String.format("s%02d.csv", churn));
            churn += 2;
        } while (cont != null);

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(stable);
    }
}
