package dev.filestaging.adapter.jersey.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.adapter.jersey.ApiRoot;
import dev.filestaging.adapter.jersey.ApiUnderTest;
import dev.filestaging.adapter.jersey.DocumentedAnswers;
import dev.filestaging.adapter.jersey.HealthResource;
import dev.filestaging.adapter.jersey.MultipartBody;
import dev.filestaging.adapter.jersey.auth.OAuthResource;
import dev.filestaging.adapter.jersey.problems.ProblemType;
import dev.filestaging.domain.links.FileLinks;
import dev.filestaging.ports.fixtures.InMemorySmallRecordStore;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API document as served: valid OpenAPI 3.1 to swagger-parser, naming every route the resources declare and every
 * problem code, and describing what the server really answers (each answer of a session of real requests is validated
 * against it, {@link DocumentedAnswers}).
 */
class ApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApiUnderTest api;
    private static String yaml;
    private static OpenAPI document;
    private static DocumentedAnswers answers;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiUnderTest(ApiUnderTest.settings(),
                store -> new FileLinks(store, new InMemorySmallRecordStore(), Clock.systemUTC(), Duration.ofDays(1)));
        HttpResponse<String> served = api.send(HttpRequest.newBuilder(api.uri("/openapi.yaml")));
        assertThat(served.statusCode()).isEqualTo(200);
        yaml = served.body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, null);
        assertThat(parsed.getMessages()).as("swagger-parser's complaints").isEmpty();
        document = parsed.getOpenAPI();
        answers = new DocumentedAnswers(api.send(HttpRequest.newBuilder(api.uri("/openapi.json"))).body());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void the_document_is_openapi_3_1_and_its_json_form_is_the_same_document() throws Exception {
        assertThat(document.getOpenapi()).isEqualTo("3.1.0");
        HttpResponse<String> json = api.send(HttpRequest.newBuilder(api.uri("/openapi.json")));
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        SwaggerParseResult fromJson = new OpenAPIV3Parser().readContents(json.body(), null, null);
        assertThat(fromJson.getMessages()).isEmpty();
        assertThat(fromJson.getOpenAPI().getPaths().keySet()).isEqualTo(document.getPaths().keySet());
        assertThat(JSON.readTree(json.body()).at("/paths/~1v1~1projects~1{projectId}~1files/get/responses/200")
                .isObject()).as("the shared response sets are expanded in JSON").isTrue();
    }

    @Test
    void every_route_of_the_resources_is_in_the_document_and_nothing_else() {
        Set<String> declared = new TreeSet<>();
        for (Method locator : ApiRoot.class.getDeclaredMethods()) {
            if (locator.isAnnotationPresent(Path.class)) {
                String prefix = "/v1/" + locator.getAnnotation(Path.class).value();
                String verb = httpMethodOf(locator);
                if (verb != null) {
                    declared.add(verb + " " + prefix); // a resource method of the root itself (/v1/me)
                } else {
                    routesOf(locator.getReturnType(), prefix, declared);
                }
            }
        }
        routesOf(HealthResource.class, "/health", declared);
        routesOf(OAuthResource.class, "/" + OAuthResource.class.getAnnotation(Path.class).value(), declared);

        Set<String> documented = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method + " " + path)));
        // OPTIONS on the upload addresses is answered before any resource (tus discovery, without credentials)
        Set<String> answeredByFilters = documented.stream().filter(route -> route.startsWith("OPTIONS /")
                && route.contains("/uploads")).collect(Collectors.toSet());

        assertThat(documented).containsAll(declared);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                union(declared, answeredByFilters));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String httpMethodOf(Method method) {
        return Arrays.stream(method.getAnnotations()).map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(java.util.Objects::nonNull).map(HttpMethod::value).findFirst().orElse(null);
    }

    private static void routesOf(Class<?> resource, String prefix, Set<String> routes) {
        for (Method method : resource.getDeclaredMethods()) {
            String verb = httpMethodOf(method);
            if (verb == null) {
                continue;
            }
            String sub = method.isAnnotationPresent(Path.class) ? "/" + method.getAnnotation(Path.class).value() : "";
            routes.add(verb + " " + prefix + sub);
        }
    }

    @Test
    void every_problem_code_is_in_the_document_and_described_on_the_page_its_type_points_to() throws Exception {
        List<String> documented = document.getComponents().getSchemas().get("ProblemCode").getEnum().stream()
                .map(Object::toString).toList();
        List<String> catalogue = Arrays.stream(ProblemType.values()).map(ProblemType::code).toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(catalogue);

        HttpResponse<String> page = api.send(HttpRequest.newBuilder(api.uri("/docs/problems")));
        assertThat(page.statusCode()).isEqualTo(200);
        for (String code : catalogue) {
            assertThat(page.body()).contains("id=\"" + code + "\"");
        }
        // a real problem's type is an absolute URL to that page's entry (no public URL here: the address asked)
        JsonNode problem = JSON.readTree(api.get("/v1/files/nothing-here").body());
        assertThat(problem.get("type").asText()).isEqualTo(api.uri("/docs/problems#file_not_found").toString());
        assertThat(problem.get("title").asText()).isEqualTo(ProblemType.FILE_NOT_FOUND.title());
    }

    @Test
    void swagger_ui_is_served_from_the_webjar_under_a_strict_content_security_policy() throws Exception {
        HttpResponse<String> redirect = api.send(HttpRequest.newBuilder(api.uri("/docs")));
        assertThat(redirect.statusCode()).isEqualTo(308);
        assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/docs/"));
        HttpResponse<String> page = api.send(HttpRequest.newBuilder(api.uri("/docs/")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(DocsResource.CONTENT_SECURITY_POLICY);
        assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("<script>");
        HttpResponse<String> bundle = api.send(HttpRequest.newBuilder(api.uri("/docs/swagger-ui-bundle.js")));
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(1_000_000);
        // only the documentation's own addresses are open: nothing else under /docs/ skips authentication
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/docs/../v1/files"))).statusCode()).isEqualTo(401);
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/docs/pom.properties"))).statusCode()).isEqualTo(404);
    }

    @Test
    void real_answers_match_the_document() throws Exception {
        byte[] csv = "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
        check("POST", "/v1/files", api.send(api.authorized("/v1/files")
                .header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("events.csv", csv)))));
        check("POST", "/v1/files", api.send(api.authorized("/v1/files")
                .header("Content-Type", MultipartBody.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MultipartBody.singleFile("events.csv", csv)))));
        check("POST", "/v1/projects/{projectId}/files", api.send(api.authorized("/v1/projects/p1/files")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x"))));
        api.upload("/v1/files", "more.json", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        check("GET", "/v1/files", api.get("/v1/files"));
        check("GET", "/v1/me", api.get("/v1/me"));
        HttpResponse<String> page = api.get("/v1/files?limit=1");
        check("GET", "/v1/files", page);
        check("GET", "/v1/files", api.get("/v1/files?limit=0"));
        HttpResponse<String> metadata = api.get("/v1/files/events.csv");
        check("GET", "/v1/files/{name}", metadata);
        String etag = metadata.headers().firstValue("ETag").orElseThrow();
        check("GET", "/v1/files/{name}", api.get("/v1/files/events.csv", "If-None-Match", etag));
        check("GET", "/v1/files/{name}", api.get("/v1/files/missing.csv"));
        check("GET", "/v1/files/{name}/content", api.get("/v1/files/events.csv/content"));
        check("GET", "/v1/files/{name}/content", api.get("/v1/files/events.csv/content", "Range", "bytes=0-3"));
        check("GET", "/v1/files/{name}/content", api.get("/v1/files/events.csv/content", "Range", "bytes=900-"));
        check("HEAD", "/v1/files/{name}/content",
                api.send(api.authorized("/v1/files/events.csv/content").method("HEAD", HttpRequest.BodyPublishers.noBody())));
        HttpResponse<String> link = api.send(api.authorized("/v1/files/events.csv/links")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\": 60}")));
        check("POST", "/v1/files/{name}/links", link);
        URI linkUrl = URI.create(JSON.readTree(link.body()).get("url").asText());
        check("GET", "/v1/links/{token}/{name}", api.send(HttpRequest.newBuilder(linkUrl)));
        check("POST", "/v1/files/{name}/links", api.send(api.authorized("/v1/files/events.csv/links")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\": -1}"))));
        check("DELETE", "/v1/files/{name}", api.send(api.authorized("/v1/files/events.csv")
                .header("If-Match", "\"00000000-0000-0000-0000-000000000000\"").DELETE()));
        check("DELETE", "/v1/files/{name}", api.send(api.authorized("/v1/files/events.csv").DELETE()));
        check("GET", "/v1/files", api.send(HttpRequest.newBuilder(api.uri("/v1/files"))));

        String metadataHeader = "filename " + Base64.getEncoder().encodeToString("big.csv".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = api.send(api.authorized("/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "8").header("Upload-Metadata", metadataHeader)
                .POST(HttpRequest.BodyPublishers.noBody()));
        check("POST", "/v1/uploads", created);
        String upload = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
        check("OPTIONS", "/v1/uploads", api.send(HttpRequest.newBuilder(api.uri("/v1/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())));
        check("HEAD", "/v1/uploads/{id}", api.send(api.authorized(upload).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())));
        check("PATCH", "/v1/uploads/{id}", api.send(api.authorized(upload).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "3").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("abcd"))));
        check("PATCH", "/v1/uploads/{id}", api.send(api.authorized(upload).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a,b\n1,2\n"))));

        check("GET", "/health", api.send(HttpRequest.newBuilder(api.uri("/health"))));
        check("GET", "/health/live", api.send(HttpRequest.newBuilder(api.uri("/health/live"))));
        check("GET", "/health/ready", api.send(HttpRequest.newBuilder(api.uri("/health/ready"))));

        assertThat(answers.mismatches()).isEmpty();
    }

    private static void check(String method, String template, HttpResponse<String> answer) {
        answers.check(method, template, answer);
    }
}
