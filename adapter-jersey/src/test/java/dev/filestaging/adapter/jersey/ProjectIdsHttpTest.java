package dev.filestaging.adapter.jersey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.ProjectId;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Project ids as the API document states them: the document is the contract (issue 24: ids starting with '-' or '_'
 * were answered 404 though the document and the README allow them).
 */
class ProjectIdsHttpTest {
    private static ApiUnderTest api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void the_served_document_states_the_pattern_the_server_applies() throws Exception {
        String yaml = api.send(HttpRequest.newBuilder(api.uri("/openapi.yaml"))).body();
        Parameter projectId = new OpenAPIV3Parser().readContents(yaml, null, null).getOpenAPI().getComponents()
                .getParameters().get("projectId");
        assertThat(projectId.getSchema().getPattern()).isEqualTo(ProjectId.PATTERN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-leading-dash", "_leading_underscore", "-", "_", "p-123",
            "0123456789012345678901234567890123456789012345678901234567890123"})
    void every_id_the_document_allows_addresses_its_own_area(String id) throws Exception {
        assertThat(Pattern.compile(ProjectId.PATTERN).matcher(id).matches()).isTrue();
        api.upload("/v1/projects/" + id + "/files", "a.csv", "a\n".getBytes(StandardCharsets.UTF_8));
        assertThat(api.get("/v1/projects/" + id + "/files/a.csv").statusCode()).isEqualTo(200);
        assertThat(api.get("/v1/projects/" + id + "/files").body()).contains("\"a.csv\"");
        assertThat(api.get("/v1/files").body()).as("not the default project").doesNotContain("\"a.csv\"");
        assertThat(api.send(api.authorized("/v1/projects/" + id + "/files/a.csv").DELETE()).statusCode())
                .isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p.x", "p%3Bx", "p~x", "%C3%A9t%C3%A9",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void an_id_the_document_does_not_allow_is_not_found(String id) throws Exception {
        assertThat(api.get("/v1/projects/" + id + "/files").statusCode()).isEqualTo(404);
    }
}
