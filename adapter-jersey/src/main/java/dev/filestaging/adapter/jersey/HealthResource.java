package dev.filestaging.adapter.jersey;

import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.ports.in.CheckReadiness;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Health for load balancers, orchestrators and scripts, without authentication. {@code /health} and
 * {@code /health/live}: 200 while the process serves HTTP. {@code /health/ready}: 200 while the storage answers too,
 * 503 with the storage's words when it does not. A server that is stopping answers every request, these included,
 * 503 {@code shutting_down}, so it is taken out of rotation while it drains.
 */
@Path("health")
public final class HealthResource {
    private static final Map<String, String> UP = Map.of("status", "UP");

    @Inject
    private FilesApi api;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> health() {
        return UP;
    }

    @GET
    @Path("live")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> live() {
        return UP;
    }

    @GET
    @Path("ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ready() {
        if (api.readiness() == null) {
            return Response.ok(Map.of("status", "UP")).build();
        }
        CheckReadiness.Readiness readiness = api.readiness().readiness();
        return Response.status(readiness.ready() ? 200 : 503)
                .entity(Map.of("status", readiness.ready() ? "UP" : "DOWN", "storage", readiness.storage()))
                .build();
    }
}
