package dev.filestaging.domain.events;

import dev.filestaging.domain.upload.AccessPolicy;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.FeedCursor;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.in.ManageWebhooks;
import dev.filestaging.ports.out.catalog.Catalog;
import dev.filestaging.ports.out.events.WebhookStore;
import dev.filestaging.ports.out.events.WebhookTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The organization's endpoints: registration (with its checks), listing, state, replay, removal. */
public final class Webhooks implements ManageWebhooks {
    /** The longest endpoint URL taken. */
    static final int MAX_URL_LENGTH = 2048;
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** How many of an endpoint's latest attempts its state shows. */
    static final int SHOWN_ATTEMPTS = 100;

    private final WebhookStore store;
    private final WebhookTransport transport;
    private final Catalog catalog;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AccessPolicy access = new AccessPolicy();

    public Webhooks(WebhookStore store, WebhookTransport transport, Catalog catalog, Clock clock) {
        this.store = store;
        this.transport = transport;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public synchronized RegisterOutcome register(Principal principal, WebhookRequest request) {
        access.requireManaging(principal, new StagingArea(principal.organization(),
                request.project().orElse(ProjectId.DEFAULT)));
        Optional<URI> url = url(request.url());
        if (url.isEmpty()) {
            return new RegisterOutcome.Invalid("url must be an absolute http or https URL of at most "
                    + MAX_URL_LENGTH + " characters");
        }
        Optional<String> refused = transport.refusal(url.get());
        if (refused.isPresent()) {
            return new RegisterOutcome.Invalid("url cannot receive events: " + refused.get());
        }
        Set<Change.Kind> types = EnumSet.noneOf(Change.Kind.class);
        for (String type : request.types()) {
            Optional<Change.Kind> kind = Change.Kind.ofType(type);
            if (kind.isEmpty()) {
                return new RegisterOutcome.Invalid("'" + shortened(type) + "' is not an event type; the types are "
                        + "file.committed, file.deleted, file.expired and upload.expired");
            }
            types.add(kind.get());
        }
        if (request.pattern() != null && (request.pattern().isEmpty()
                || request.pattern().chars().anyMatch(Character::isISOControl))) {
            return new RegisterOutcome.Invalid("pattern is a non-empty name glob without control characters"
                    + " (absent: every name)");
        }
        NameGlob names;
        try {
            names = request.pattern() == null ? NameGlob.ANY : new NameGlob(request.pattern());
        } catch (IllegalArgumentException badGlob) {
            return new RegisterOutcome.Invalid("pattern is not a name glob: " + badGlob.getMessage());
        }
        // one process registers one at a time (synchronized); several may pass the bound by a few together
        if (store.list(principal.organization()).size() >= MAX_PER_ORGANIZATION) {
            return new RegisterOutcome.TooMany(MAX_PER_ORGANIZATION);
        }
        String secret = newSecret();
        // microseconds: what every store keeps of an instant
        // added disabled, so that no process delivers to it before it knows where to start
        Webhook webhook = new Webhook("wh_" + randomText(24), principal.organization(), request.project(), url.get(),
                types, names, List.of(secret), clock.instant().truncatedTo(ChronoUnit.MICROS),
                Optional.of("being registered"));
        store.add(webhook);
        // it receives what happens from now on: in the areas that have events, deliveries start after the latest
        for (Catalog.AreaLog log : catalog.logs(principal.organization())) {
            if (webhook.covers(log.area())) {
                store.rewind(webhook.id(), log.area(), log.latest());
            }
        }
        store.enable(webhook.id());
        Webhook registered = new Webhook(webhook.id(), webhook.organization(), webhook.project(), webhook.url(),
                webhook.types(), webhook.names(), webhook.secrets(), webhook.created(), Optional.empty());
        return new RegisterOutcome.Registered(registered, secret);
    }

    private static Optional<URI> url(String text) {
        if (text.length() > MAX_URL_LENGTH) {
            return Optional.empty();
        }
        try {
            URI url = new URI(text);
            boolean web = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            boolean port = url.getPort() == -1 || (url.getPort() >= 1 && url.getPort() <= 65535);
            return web && port && url.getHost() != null && url.getRawFragment() == null ? Optional.of(url)
                    : Optional.empty();
        } catch (URISyntaxException malformed) {
            return Optional.empty();
        }
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** A Standard Webhooks secret: {@code whsec_} and 24 random bytes in base64. */
    private String newSecret() {
        byte[] key = new byte[24];
        random.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    @Override
    public List<Webhook> list(Principal principal) {
        access.requireManaging(principal, StagingArea.defaultProjectOf(principal.organization()));
        return store.list(principal.organization());
    }

    /** The organization's endpoint of this id, after the principal's rights are checked. */
    private Optional<Webhook> own(Principal principal, String id) {
        access.requireManaging(principal, StagingArea.defaultProjectOf(principal.organization()));
        if (id == null || !Webhook.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return store.find(id).filter(webhook -> webhook.organization().equals(principal.organization()));
    }

    @Override
    public Optional<WebhookState> get(Principal principal, String id) {
        return own(principal, id).map(webhook -> new WebhookState(webhook, store.progress(id),
                store.attempts(id, SHOWN_ATTEMPTS)));
    }

    @Override
    public synchronized Optional<String> rotateSecret(Principal principal, String id) {
        Optional<Webhook> webhook = own(principal, id);
        if (webhook.isEmpty()) {
            return Optional.empty();
        }
        String secret = newSecret();
        // the new one first; the current one kept so a receiver still checking it loses nothing meanwhile
        return store.replaceSecrets(id, List.of(secret, webhook.get().secrets().get(0))) ? Optional.of(secret)
                : Optional.empty();
    }

    @Override
    public synchronized boolean dropPreviousSecret(Principal principal, String id) {
        Optional<Webhook> webhook = own(principal, id);
        return webhook.isPresent() && store.replaceSecrets(id, List.of(webhook.get().secrets().get(0)));
    }

    @Override
    public boolean remove(Principal principal, String id) {
        return own(principal, id).isPresent() && store.remove(id);
    }

    @Override
    public ReplayOutcome replay(Principal principal, String id, ProjectId project, Optional<String> cursor) {
        Optional<Webhook> webhook = own(principal, id);
        StagingArea area = new StagingArea(principal.organization(), project);
        if (webhook.isEmpty() || !webhook.get().covers(area)) {
            return new ReplayOutcome.NotFound();
        }
        long from;
        if (cursor.isPresent()) {
            Optional<Long> sequence = FeedCursor.sequence(area, cursor.get());
            if (sequence.isEmpty()) {
                return new ReplayOutcome.CursorInvalid("the cursor is not one this project's events gave");
            }
            from = sequence.get();
            if (from > catalog.changes(area, 0, 1).latest()) {
                // deliveries would wait for events that may never come, and skip those that do
                return new ReplayOutcome.CursorInvalid("the cursor is ahead of this project's events: not one its"
                        + " feed gave");
            }
        } else {
            Catalog.ChangeLog oldest = catalog.changes(area, 0, 1);
            from = oldest.entries().isEmpty() ? oldest.latest() : oldest.entries().get(0).sequence() - 1;
        }
        if (!store.rewind(id, area, from)) {
            return new ReplayOutcome.NotFound();
        }
        return new ReplayOutcome.Replaying(store.progress(id).stream().filter(p -> p.area().equals(area)).findFirst()
                .orElse(new DeliveryProgress(area, from, 0, Optional.empty(), Optional.empty())));
    }
}
