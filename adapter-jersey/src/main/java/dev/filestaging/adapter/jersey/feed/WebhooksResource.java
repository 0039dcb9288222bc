package dev.filestaging.adapter.jersey.feed;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.filestaging.adapter.jersey.auth.AuthenticationFilter;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.http.RawSegments;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.in.ManageWebhooks;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/webhooks} (every project of the organization) and {@code /v1/projects/{projectId}/webhooks} (that project
 * only): register an endpoint ({@code POST {"url", "types", "pattern"}}, answered with its secret, shown this once),
 * list, read one with its progress and latest attempts, replay from a cursor, remove.
 */
public final class WebhooksResource {
    /** Strict: one JSON object, each key once (the last of two would silently win), nothing after it. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int MAX_BODY_BYTES = 8192;
    private static final int MAX_TYPES = 16;

    private final ManageWebhooks webhooks;
    private final Optional<ProjectId> project;
    private final String basePath;

    /** @param project the project of the address; empty for {@code /v1/webhooks} */
    public WebhooksResource(ManageWebhooks webhooks, Optional<ProjectId> project, String basePath) {
        this.webhooks = webhooks;
        this.project = project;
        this.basePath = basePath;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(@Context ContainerRequestContext request) {
        JsonNode body = object(request, Set.of("url", "types", "pattern"));
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual()) {
            throw Problems.invalidWebhook("the body names the endpoint: {\"url\": \"https://...\"}");
        }
        ManageWebhooks.WebhookRequest asked = new ManageWebhooks.WebhookRequest(project, url.asText(),
                types(body.get("types")), text(body.get("pattern"), "pattern"));
        ManageWebhooks.RegisterOutcome outcome = webhooks.register(principal(request), asked);
        if (outcome instanceof ManageWebhooks.RegisterOutcome.Invalid invalid) {
            throw Problems.invalidWebhook(invalid.reason());
        }
        if (outcome instanceof ManageWebhooks.RegisterOutcome.TooMany tooMany) {
            throw Problems.tooManyWebhooks(tooMany.limit());
        }
        ManageWebhooks.RegisterOutcome.Registered registered = (ManageWebhooks.RegisterOutcome.Registered) outcome;
        return Response.created(URI.create(basePath + registered.webhook().id()))
                .entity(WebhookJson.registered(registered)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list(@Context ContainerRequestContext request) {
        return Map.of("webhooks", webhooks.list(principal(request)).stream()
                .filter(webhook -> project.isEmpty() || webhook.project().equals(project))
                .map(WebhookJson::of).toList());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@Context ContainerRequestContext request) {
        String id = ownId(request, RawSegments.last(request));
        return webhooks.get(principal(request), id).map(WebhookJson::state)
                .orElseThrow(() -> Problems.webhookNotFound(id));
    }

    @DELETE
    @Path("{id}")
    public Response remove(@Context ContainerRequestContext request) {
        String id = ownId(request, RawSegments.last(request));
        if (!webhooks.remove(principal(request), id)) {
            throw Problems.webhookNotFound(id);
        }
        return Response.noContent().build();
    }

    /**
     * {@code POST .../{id}/secrets}: a new signing secret, shown this once; deliveries carry a signature with it and
     * one with the previous secret until {@code DELETE .../{id}/secrets/previous} (or the next rotation).
     */
    @POST
    @Path("{id}/secrets")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotate(@Context ContainerRequestContext request) {
        String id = ownId(request, RawSegments.fromEnd(request, 1));
        String secret = webhooks.rotateSecret(principal(request), id).orElseThrow(() -> Problems.webhookNotFound(id));
        return Response.status(201).entity(Map.of("id", id, "secret", secret)).type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @DELETE
    @Path("{id}/secrets/previous")
    public Response dropPrevious(@Context ContainerRequestContext request) {
        String id = ownId(request, RawSegments.fromEnd(request, 2));
        if (!webhooks.dropPreviousSecret(principal(request), id)) {
            throw Problems.webhookNotFound(id);
        }
        return Response.noContent().build();
    }

    /**
     * {@code POST .../{id}/replay {"after": "<cursor>"}} (and {@code "project"} on {@code /v1/webhooks}): the events
     * after the cursor (absent: from the oldest kept) are delivered to the endpoint again, in order.
     */
    @POST
    @Path("{id}/replay")
    @Produces(MediaType.APPLICATION_JSON)
    public Response replay(@Context ContainerRequestContext request) {
        String id = ownId(request, RawSegments.fromEnd(request, 1));
        JsonNode body = object(request, Set.of("after", "project"));
        ProjectId replayed = project.orElseGet(() -> {
            String named = text(body.get("project"), "project");
            if (named == null) {
                return ProjectId.DEFAULT;
            }
            if (!ProjectId.isValid(named)) {
                throw Problems.invalidWebhook("project is not a project id");
            }
            return new ProjectId(named);
        });
        ManageWebhooks.ReplayOutcome outcome = webhooks.replay(principal(request), id, replayed,
                Optional.ofNullable(text(body.get("after"), "after")));
        if (outcome instanceof ManageWebhooks.ReplayOutcome.NotFound) {
            throw Problems.webhookNotFound(id);
        }
        if (outcome instanceof ManageWebhooks.ReplayOutcome.CursorInvalid invalid) {
            throw Problems.invalidCursor(invalid.reason());
        }
        return Response.accepted(WebhookJson.progress(((ManageWebhooks.ReplayOutcome.Replaying) outcome).progress()))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * The id of the address, refused (404) on a project's address when the endpoint is not that project's: an
     * endpoint is read and changed under {@code /v1/webhooks} or under its own project.
     */
    private String ownId(ContainerRequestContext request, String id) {
        if (project.isPresent() && webhooks.get(principal(request), id)
                .filter(state -> state.webhook().project().equals(project)).isEmpty()) {
            throw Problems.webhookNotFound(id);
        }
        return id;
    }

    private static Principal principal(ContainerRequestContext request) {
        return AuthenticationFilter.principalOf(request);
    }

    /** The body: a JSON object with no key but {@code allowed}; an empty body is an empty object. */
    private static JsonNode object(ContainerRequestContext request, Set<String> allowed) {
        byte[] bytes;
        try {
            bytes = request.getEntityStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw ProblemMapper.bodyFailure(e);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw Problems.invalidWebhook("the body is a small JSON object, at most " + MAX_BODY_BYTES + " bytes");
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException malformed) {
            throw Problems.invalidWebhook("the body is not one JSON object");
        }
        if (body == null || !body.isObject()) {
            throw Problems.invalidWebhook("the body is not one JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw Problems.invalidWebhook("unknown field '" + (name.length() > 40 ? name.substring(0, 40) : name)
                        + "'; the fields are " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        return body;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw Problems.invalidWebhook(field + " is a string");
        }
        return node.asText();
    }

    private static Set<String> types(JsonNode node) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray() || node.size() > MAX_TYPES) {
            throw Problems.invalidWebhook("types is an array of event types, such as [\"file.committed\"]");
        }
        Set<String> types = new HashSet<>();
        for (JsonNode type : node) {
            if (!type.isTextual()) {
                throw Problems.invalidWebhook("each of types is a string, such as \"file.committed\"");
            }
            types.add(type.asText());
        }
        return types;
    }
}
