package dev.filestaging.ports.events;

import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An endpoint registered to receive the events of an organization, or of one of its projects.
 *
 * @param id       random, URL-safe, {@link #ID}
 * @param project  the one project whose events it receives; empty for every project of the organization
 * @param types    the kinds of events it receives; empty for all
 * @param names    the names whose events it receives
 * @param secrets  its signing secrets ({@code whsec_...}), newest first; two while one is rotated out
 * @param created  when it was registered
 * @param disabled why deliveries stopped (the endpoint answered 410 Gone), or empty while it receives them
 */
public record Webhook(String id, OrganizationId organization, Optional<ProjectId> project, URI url, Set<Change.Kind> types,
                      NameGlob names, List<String> secrets, Instant created, Optional<String> disabled) {

    public static final Pattern ID = Pattern.compile("wh_[A-Za-z0-9]{16,40}");

    public Webhook {
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(disabled, "disabled");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a webhook id is wh_ and 16-40 letters or digits, got " + id);
        }
        types = Set.copyOf(types);
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook has at least one secret");
        }
    }

    /** Whether {@code area} is one whose events it receives. */
    public boolean covers(StagingArea area) {
        return area.organization().equals(organization) && project.map(area.project()::equals).orElse(true);
    }

    /** Whether it receives {@code change} (of an area it covers). */
    public boolean wants(Change change) {
        return (types.isEmpty() || types.contains(change.kind())) && names.matches(change.key().name());
    }

    public boolean enabled() {
        return disabled.isEmpty();
    }
}
