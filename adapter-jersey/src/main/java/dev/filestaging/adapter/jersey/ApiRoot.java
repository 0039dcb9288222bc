package dev.filestaging.adapter.jersey;

import dev.filestaging.adapter.jersey.auth.AuthenticationFilter;
import dev.filestaging.adapter.jersey.feed.EventsResource;
import dev.filestaging.adapter.jersey.feed.WebhooksResource;
import dev.filestaging.adapter.jersey.files.FilesResource;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.jersey.http.RawSegments;
import dev.filestaging.adapter.jersey.http.TransferSlots;
import dev.filestaging.adapter.jersey.links.LinkResource;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.adapter.jersey.tus.UploadsResource;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.Role;
import dev.filestaging.ports.StagingArea;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The Files API's two address forms: {@code /v1/files} for the organization's default project, and
 * {@code /v1/projects/{projectId}/files}. The organization always comes from the credentials, never from the URL.
 */
@Path("v1")
public final class ApiRoot {
    private final FilesApi api;
    private final HttpSettings settings;
    private final TransferSlots transferSlots;

    @Inject
    public ApiRoot(FilesApi api, HttpSettings settings, TransferSlots transferSlots) {
        this.api = api;
        this.settings = settings;
        this.transferSlots = transferSlots;
    }

    /**
     * Who the credentials belong to: the organization, the service account and its roles, so a client (the console)
     * can show them and offer only what the roles allow; and, where signed links exist, the longest lifetime one may
     * have, so a client asks for no more.
     */
    @GET
    @Path("me")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> me(@Context ContainerRequestContext request) {
        Principal principal = AuthenticationFilter.principalOf(request);
        Map<String, Object> me = new java.util.LinkedHashMap<>();
        me.put("organization", principal.organization().value());
        me.put("serviceAccountId", principal.serviceAccountId());
        me.put("roles", principal.roles().stream().map(Role::wireName).sorted().toList());
        if (api.links() != null) {
            me.put("linkMaxLifetimeSeconds", api.links().maximumLifetime().toSeconds());
        }
        return me;
    }

    @Path("files")
    public FilesResource defaultProject(@Context ContainerRequestContext request) {
        StagingArea area = StagingArea.defaultProjectOf(AuthenticationFilter.principalOf(request).organization());
        return new FilesResource(api, area, "/v1/files/", settings, transferSlots);
    }

    @Path("uploads")
    public UploadsResource uploads(@Context ContainerRequestContext request) {
        StagingArea area = StagingArea.defaultProjectOf(AuthenticationFilter.principalOf(request).organization());
        return new UploadsResource(api.resumable(), area, "/v1/uploads/", "/v1/files/", settings, transferSlots);
    }

    @Path("projects/{projectId}/uploads")
    public UploadsResource projectUploads(@Context ContainerRequestContext request) {
        String projectId = RawSegments.of(request).get(2);
        if (!ProjectId.isValid(projectId)) {
            throw Problems.http(404, "Not Found");
        }
        StagingArea area = new StagingArea(
                AuthenticationFilter.principalOf(request).organization(), new ProjectId(projectId));
        return new UploadsResource(api.resumable(), area, "/v1/projects/" + projectId + "/uploads/",
                "/v1/projects/" + projectId + "/files/", settings, transferSlots);
    }

    @Path("events")
    public EventsResource events(@Context ContainerRequestContext request) {
        return new EventsResource(served(api.events()),
                StagingArea.defaultProjectOf(AuthenticationFilter.principalOf(request).organization()));
    }

    @Path("projects/{projectId}/events")
    public EventsResource projectEvents(@Context ContainerRequestContext request) {
        return new EventsResource(served(api.events()), new StagingArea(
                AuthenticationFilter.principalOf(request).organization(), projectOf(request)));
    }

    @Path("webhooks")
    public WebhooksResource webhooks() {
        return new WebhooksResource(served(api.webhooks()), java.util.Optional.empty(), "/v1/webhooks/");
    }

    @Path("projects/{projectId}/webhooks")
    public WebhooksResource projectWebhooks(@Context ContainerRequestContext request) {
        ProjectId project = projectOf(request);
        return new WebhooksResource(served(api.webhooks()), java.util.Optional.of(project),
                "/v1/projects/" + project.value() + "/webhooks/");
    }

    /** The project of a {@code /v1/projects/{projectId}/...} address: its raw segment, ';' and all. */
    private static ProjectId projectOf(ContainerRequestContext request) {
        String projectId = RawSegments.of(request).get(2);
        if (!ProjectId.isValid(projectId)) {
            throw Problems.http(404, "Not Found");
        }
        return new ProjectId(projectId);
    }

    /** A use case this deployment serves; 404 where it serves none. */
    private static <T> T served(T useCase) {
        if (useCase == null) {
            throw Problems.http(404, "Not Found");
        }
        return useCase;
    }

    /** Signed links: the token is the credential, checked here before anything else. */
    @Path("links/{token}/{name}")
    public LinkResource link(@Context ContainerRequestContext request) {
        if (api.links() == null) {
            throw Problems.http(404, "Not Found");
        }
        return new LinkResource(api.links(), RawSegments.fromEnd(request, 1), RawSegments.last(request), transferSlots);
    }

    @Path("projects/{projectId}/files")
    public FilesResource project(@Context ContainerRequestContext request) {
        String projectId = RawSegments.of(request).get(2); // v1, projects, {projectId}: the raw segment, ';' and all
        if (!ProjectId.isValid(projectId)) {
            throw Problems.http(404, "Not Found");
        }
        StagingArea area = new StagingArea(
                AuthenticationFilter.principalOf(request).organization(), new ProjectId(projectId));
        return new FilesResource(api, area, "/v1/projects/" + projectId + "/files/", settings, transferSlots);
    }
}
