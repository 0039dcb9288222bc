package dev.filestaging.adapter.jersey.feed;

import dev.filestaging.adapter.jersey.auth.AuthenticationFilter;
import dev.filestaging.adapter.jersey.events.CloudEvents;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.EventsOutcome;
import dev.filestaging.ports.in.ReadEvents;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/events} (and the project form): the area's change feed, {@code {"events": [CloudEvent...],
 * "cursor": "..."}}, from {@code after} (a cursor of an earlier answer; absent: from the oldest event kept), at most
 * {@code limit} events, waiting up to {@code wait} seconds for one when there is none yet.
 */
public final class EventsResource {
    /** Events per answer unless the client asks otherwise. */
    static final int DEFAULT_LIMIT = 100;

    private final ReadEvents events;
    private final StagingArea area;

    public EventsResource(ReadEvents events, StagingArea area) {
        this.events = events;
        this.area = area;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> read(@Context ContainerRequestContext request, @QueryParam("after") String after,
                                    @QueryParam("limit") String limit, @QueryParam("wait") String wait) {
        int count = QueryNumbers.within("limit", limit, DEFAULT_LIMIT, 1, ReadEvents.MAX_LIMIT);
        int seconds = QueryNumbers.within("wait", wait, 0, 0, (int) ReadEvents.MAX_WAIT.toSeconds());
        EventsOutcome outcome;
        try {
            outcome = events.read(AuthenticationFilter.principalOf(request), area,
                    Optional.ofNullable(after).filter(cursor -> !cursor.isEmpty()), count,
                    Duration.ofSeconds(seconds));
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw Problems.shuttingDown();
        }
        if (outcome instanceof EventsOutcome.CursorExpired expired) {
            throw Problems.cursorExpired(expired.oldest());
        }
        if (outcome instanceof EventsOutcome.CursorInvalid invalid) {
            throw Problems.invalidCursor(invalid.reason());
        }
        EventsOutcome.Page page = (EventsOutcome.Page) outcome;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("events", page.events().stream().map(CloudEvents::event).toList());
        answer.put("cursor", page.cursor());
        return answer;
    }
}
