package dev.filestaging.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.DeliveryAttempt;
import dev.filestaging.ports.events.DeliveryProgress;
import dev.filestaging.ports.events.Webhook;
import dev.filestaging.ports.out.events.DeliveryLease;
import dev.filestaging.ports.out.events.WebhookStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link WebhookStore} contract, clause by clause of its Javadoc, run unchanged against every implementation.
 * Subclasses give a fresh, empty store and a second instance on the same storage (as another process would open it),
 * which the cross-instance cases and the race use; they close what they opened. Lease lapses are waited for in real
 * time: leases these tests let lapse are granted for {@link #shortLease()}.
 */
public abstract class WebhookStoreContractTest {

    protected static final OrganizationId ACME = new OrganizationId("acme");
    protected static final OrganizationId GLOBEX = new OrganizationId("globex");
    protected static final StagingArea AREA = StagingArea.defaultProjectOf(ACME);
    protected static final StagingArea OTHER_PROJECT = new StagingArea(ACME, new ProjectId("p2"));
    protected static final StagingArea OTHER_ORG = StagingArea.defaultProjectOf(GLOBEX);
    /** Nanoseconds included: a store must give back the instant it was given. */
    protected static final Instant CREATED = Instant.parse("2026-12-07T10:15:30.123456789Z");
    protected static final Instant AT = Instant.parse("2026-12-07T11:00:00.000000001Z");
    protected static final Duration LONG_LEASE = Duration.ofMinutes(5);

    protected WebhookStore store;

    /** A new store on new, empty storage. */
    protected abstract WebhookStore newStore() throws Exception;

    /** Another store instance on the storage of the last {@link #newStore}, as another process would open it. */
    protected abstract WebhookStore sameStorage() throws Exception;

    /** How long the leases that tests let lapse are granted for; the tests wait twice as long for them to lapse. */
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    protected void waitForLapse() throws InterruptedException {
        Thread.sleep(shortLease().multipliedBy(2).toMillis());
    }

    // ---- values ----

    protected static String newId() {
        return "wh_" + UUID.randomUUID().toString().replace("-", "");
    }

    protected static Webhook webhook(OrganizationId organization, Optional<ProjectId> project, Instant created) {
        return webhook(newId(), organization, project, created);
    }

    protected static Webhook webhook(String id, OrganizationId organization, Optional<ProjectId> project,
                                     Instant created) {
        return new Webhook(id, organization, project, URI.create("https://hooks.example.com/" + organization),
                Set.of(), NameGlob.ANY, List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), created, Optional.empty());
    }

    protected Webhook added(OrganizationId organization, Optional<ProjectId> project, Instant created) {
        Webhook webhook = webhook(organization, project, created);
        store.add(webhook);
        return webhook;
    }

    /** An endpoint of every project of acme, added. */
    protected Webhook added() {
        return added(ACME, Optional.empty(), CREATED);
    }

    protected static DeliveryAttempt delivered(StagingArea area, long sequence) {
        return new DeliveryAttempt(area, sequence, "evt_" + sequence, AT.plusSeconds(sequence).plusNanos(sequence),
                DeliveryAttempt.Outcome.DELIVERED, 204, Optional.empty(), Optional.empty());
    }

    protected static DeliveryAttempt givenUp(StagingArea area, long sequence) {
        return new DeliveryAttempt(area, sequence, "evt_" + sequence, AT.plusSeconds(sequence),
                DeliveryAttempt.Outcome.GIVEN_UP, 0, Optional.of("retried for 3 days"), Optional.empty());
    }

    protected static DeliveryAttempt failed(StagingArea area, long sequence, Instant at, Instant next) {
        return new DeliveryAttempt(area, sequence, "evt_" + sequence, at, DeliveryAttempt.Outcome.FAILED, 503,
                // what an endpoint says may hold any character, a NUL too
                Optional.of("503 Service Unavailable: \"busy\", ünïcödé, a \u0000 and\na new line"),
                Optional.of(next));
    }

    protected static DeliveryProgress progress(StagingArea area, long delivered) {
        return new DeliveryProgress(area, delivered, 0, Optional.empty(), Optional.empty());
    }

    protected static DeliveryLease claimed(WebhookStore on, Webhook webhook, StagingArea area, Duration duration) {
        Optional<DeliveryLease> lease = on.claim(webhook.id(), area, duration);
        assertThat(lease).as("a lease on %s in %s", webhook.id(), area).isPresent();
        return lease.get();
    }

    // ---- endpoints: add, find, list, enabled ----

    @Test
    void an_added_webhook_is_found_by_every_instance_with_every_field_exactly() throws Exception {
        Webhook full = new Webhook(newId(), ACME, Optional.of(new ProjectId("p2")),
                URI.create("https://hooks.example.com:8443/in/files?source=staging&token=a%20b&x=%C3%BC"),
                Set.of(Change.Kind.COMMITTED, Change.Kind.UPLOAD_EXPIRED), new NameGlob("report-[0-9]*.csv"),
                // newest first, not sorted, and every character base64 and a careless encoding may trip on
                List.of("whsec_c2VjcmV0/+=,:1;\"x\"", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), CREATED,
                Optional.empty());
        Webhook plain = new Webhook(newId(), ACME, Optional.empty(), URI.create("http://10.0.0.1/hook"), Set.of(),
                NameGlob.ANY, List.of("whsec_b25l"), CREATED.plusNanos(1), Optional.empty());
        Webhook gone = new Webhook(newId(), GLOBEX, Optional.empty(), URI.create("https://gone.example/"),
                Set.of(Change.Kind.DELETED), new NameGlob("*"), List.of("whsec_Z29uZQ"), CREATED.minusNanos(1),
                Optional.of("the endpoint answered 410 Gone"));

        store.add(full);
        store.add(plain);
        store.add(gone);
        WebhookStore other = sameStorage();

        assertThat(other.find(full.id())).contains(full);
        assertThat(other.find(plain.id())).contains(plain);
        assertThat(other.find(gone.id())).contains(gone);
        assertThat(other.find(newId())).isEmpty();
        assertThat(other.list(ACME)).containsExactly(full, plain);
        assertThat(other.enabled()).containsExactly(full, plain);
    }

    @Test
    void adding_an_id_registered_already_is_refused_and_changes_nothing() {
        Webhook first = added();
        Webhook again = webhook(first.id(), GLOBEX, Optional.empty(), CREATED.plusSeconds(1));

        assertThatThrownBy(() -> store.add(again)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.find(first.id())).contains(first);
        assertThat(store.list(GLOBEX)).isEmpty();
    }

    @Test
    void an_organization_lists_its_own_and_its_projects_webhooks_oldest_first_then_by_id() throws Exception {
        Webhook newest = added(ACME, Optional.empty(), CREATED.plusSeconds(2));
        Webhook ofProject = added(ACME, Optional.of(new ProjectId("p2")), CREATED.plusSeconds(1));
        Webhook oldest = added(ACME, Optional.empty(), CREATED);
        Webhook globex = added(GLOBEX, Optional.empty(), CREATED.minusSeconds(1));
        // created at the same instant: by id as Java compares strings ('B' before 'a'; a collation says otherwise)
        Webhook tieLower = webhook("wh_a000000000000000", ACME, Optional.empty(), CREATED.plusSeconds(3));
        Webhook tieUpper = webhook("wh_B000000000000000", ACME, Optional.empty(), CREATED.plusSeconds(3));
        store.add(tieLower);
        store.add(tieUpper);

        WebhookStore other = sameStorage();

        assertThat(other.list(ACME)).containsExactly(oldest, ofProject, newest, tieUpper, tieLower);
        assertThat(other.list(GLOBEX)).containsExactly(globex);
        assertThat(other.list(new OrganizationId("initech"))).isEmpty();
    }

    @Test
    void enabled_lists_the_webhooks_of_every_organization_but_the_disabled_ones() throws Exception {
        Webhook first = added(ACME, Optional.empty(), CREATED);
        Webhook second = added(GLOBEX, Optional.empty(), CREATED.plusSeconds(1));
        Webhook third = added(ACME, Optional.of(new ProjectId("p2")), CREATED.plusSeconds(2));

        assertThat(store.disable(third.id(), "the endpoint answered 410 Gone")).isTrue();

        assertThat(sameStorage().enabled()).containsExactly(first, second);
    }

    // ---- endpoints: disable, remove ----

    @Test
    void a_disabled_webhook_stays_listed_with_its_reason_and_is_granted_no_lease() throws Exception {
        Webhook webhook = added();
        DeliveryLease held = claimed(store, webhook, AREA, LONG_LEASE);

        assertThat(store.disable(webhook.id(), "the endpoint answered 410 Gone")).isTrue();

        Webhook disabled = store.find(webhook.id()).orElseThrow();
        assertThat(disabled.disabled()).contains("the endpoint answered 410 Gone");
        assertThat(disabled).isEqualTo(new Webhook(webhook.id(), webhook.organization(), webhook.project(),
                webhook.url(), webhook.types(), webhook.names(), webhook.secrets(), webhook.created(),
                Optional.of("the endpoint answered 410 Gone")));
        assertThat(store.list(ACME)).containsExactly(disabled);
        assertThat(store.claim(webhook.id(), OTHER_PROJECT, LONG_LEASE)).isEmpty();
        // the lease held stays current: its holder records the attempt that made it stop
        assertThat(sameStorage().record(held, givenUp(AREA, 1))).contains(progress(AREA, 1));
        store.release(held);
        assertThat(store.claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();
        // a second reason replaces the first
        assertThat(store.disable(webhook.id(), "disabled by its owner")).isTrue();
        assertThat(store.find(webhook.id()).orElseThrow().disabled()).contains("disabled by its owner");
    }

    @Test
    void remove_removes_the_webhook_its_progress_and_its_log_and_ends_its_leases() throws Exception {
        Webhook removed = added();
        Webhook kept = added(ACME, Optional.empty(), CREATED.plusSeconds(1));
        DeliveryLease lease = claimed(store, removed, AREA, LONG_LEASE);
        store.record(lease, delivered(AREA, 1));
        DeliveryLease keptLease = claimed(store, kept, AREA, LONG_LEASE);
        store.record(keptLease, delivered(AREA, 3));

        assertThat(store.remove(removed.id())).isTrue();

        WebhookStore other = sameStorage();
        assertThat(other.find(removed.id())).isEmpty();
        assertThat(other.list(ACME)).containsExactly(kept);
        assertThat(other.progress(removed.id())).isEmpty();
        assertThat(other.attempts(removed.id(), 10)).isEmpty();
        assertThat(other.record(lease, delivered(AREA, 2))).isEmpty();
        assertThat(other.renew(lease, LONG_LEASE)).isFalse();
        assertThat(other.claim(removed.id(), AREA, LONG_LEASE)).isEmpty();
        assertThat(other.remove(removed.id())).isFalse();
        assertThat(other.progress(kept.id())).containsExactly(progress(AREA, 3));
        assertThat(other.attempts(kept.id(), 10)).containsExactly(delivered(AREA, 3));
    }

    // ---- leases ----

    @Test
    void a_first_claim_starts_at_the_beginning_of_the_area() {
        Webhook webhook = added();

        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);

        assertThat(lease.webhookId()).isEqualTo(webhook.id());
        assertThat(lease.progress()).isEqualTo(DeliveryProgress.start(AREA));
        assertThat(store.progress(webhook.id())).containsExactly(DeliveryProgress.start(AREA));
    }

    @Test
    void a_held_lease_is_refused_to_every_other_claim_also_from_another_instance() throws Exception {
        Webhook webhook = added();
        Webhook another = added(ACME, Optional.empty(), CREATED.plusSeconds(1));
        claimed(store, webhook, AREA, LONG_LEASE);
        WebhookStore other = sameStorage();

        assertThat(store.claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();
        assertThat(other.claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();
        // another area, or another endpoint of the same area, is a lease of its own
        claimed(other, webhook, OTHER_PROJECT, LONG_LEASE);
        claimed(other, another, AREA, LONG_LEASE);
    }

    @Test
    void a_lease_lapses_after_its_duration_and_then_another_takes_it_with_another_token() throws Exception {
        Webhook webhook = added();
        WebhookStore other = sameStorage();
        DeliveryLease first = claimed(store, webhook, AREA, shortLease());
        assertThat(other.claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();

        waitForLapse();

        DeliveryLease taken = claimed(other, webhook, AREA, LONG_LEASE);
        assertThat(taken.token()).isNotEqualTo(first.token());
    }

    @Test
    void the_old_holder_of_a_lease_taken_over_changes_nothing() throws Exception {
        Webhook webhook = added();
        WebhookStore other = sameStorage();
        DeliveryLease first = claimed(store, webhook, AREA, shortLease());
        store.record(first, delivered(AREA, 1));
        waitForLapse();
        DeliveryLease taken = claimed(other, webhook, AREA, LONG_LEASE);
        assertThat(taken.progress()).isEqualTo(progress(AREA, 1));

        assertThat(store.record(first, delivered(AREA, 2))).isEmpty();
        assertThat(store.record(first, failed(AREA, 2, AT, AT.plusSeconds(5)))).isEmpty();
        assertThat(store.renew(first, LONG_LEASE)).isFalse();
        store.release(first);

        assertThat(store.claim(webhook.id(), AREA, LONG_LEASE)).as("still the new holder's").isEmpty();
        assertThat(other.progress(webhook.id())).containsExactly(progress(AREA, 1));
        assertThat(other.attempts(webhook.id(), 10)).containsExactly(delivered(AREA, 1));
        assertThat(other.record(taken, delivered(AREA, 2))).contains(progress(AREA, 2));
    }

    @Test
    void a_renewed_lease_does_not_lapse_at_its_first_term() throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, shortLease());
        Thread.sleep(shortLease().dividedBy(2).toMillis());

        assertThat(store.renew(lease, shortLease().multipliedBy(4))).isTrue();

        waitForLapse(); // past the first term, well within the second
        assertThat(sameStorage().claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();
    }

    @Test
    void a_lapsed_lease_that_nobody_took_is_still_its_holders() throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, shortLease());

        waitForLapse();

        assertThat(store.record(lease, delivered(AREA, 1))).contains(progress(AREA, 1));
        assertThat(store.renew(lease, LONG_LEASE)).isTrue();
        assertThat(sameStorage().claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();
    }

    @Test
    void a_released_lease_can_be_claimed_at_once_by_another_instance_with_the_progress_so_far() throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, delivered(AREA, 1));

        store.release(lease);

        DeliveryLease next = claimed(sameStorage(), webhook, AREA, LONG_LEASE);
        assertThat(next.progress()).isEqualTo(progress(AREA, 1));
        assertThat(next.token()).isNotEqualTo(lease.token());
        // releasing a lease that is no longer the current one changes nothing, and never throws
        store.release(lease);
        assertThat(store.claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();
    }

    // ---- progress ----

    @Test
    void a_delivered_attempt_moves_the_progress_to_its_event_and_clears_the_failures() throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, failed(AREA, 1, AT, AT.plusSeconds(10)));
        store.record(lease, failed(AREA, 1, AT.plusSeconds(10), AT.plusSeconds(40)));

        assertThat(store.record(lease, delivered(AREA, 1))).contains(progress(AREA, 1));
        // events 2 to 4 were not for this endpoint: the next delivered one moves the progress past them
        assertThat(store.record(lease, delivered(AREA, 5))).contains(progress(AREA, 5));

        assertThat(sameStorage().progress(webhook.id())).containsExactly(progress(AREA, 5));
    }

    @Test
    void a_given_up_attempt_moves_the_progress_past_its_event_like_a_delivered_one() {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, failed(AREA, 1, AT, AT.plusSeconds(10)));

        assertThat(store.record(lease, givenUp(AREA, 1))).contains(progress(AREA, 1));

        assertThat(store.progress(webhook.id())).containsExactly(progress(AREA, 1));
    }

    @Test
    void failed_attempts_are_counted_from_the_first_failure_and_wait_for_their_next_attempt() throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, delivered(AREA, 1));
        Instant firstFailure = AT.plusSeconds(60).plusNanos(123);
        Instant secondFailure = AT.plusSeconds(90).plusNanos(456);
        Instant retry = AT.plusSeconds(150).plusNanos(789);

        assertThat(store.record(lease, failed(AREA, 2, firstFailure, AT.plusSeconds(90))))
                .contains(new DeliveryProgress(AREA, 1, 1, Optional.of(firstFailure), Optional.of(AT.plusSeconds(90))));
        DeliveryProgress expected = new DeliveryProgress(AREA, 1, 2, Optional.of(firstFailure), Optional.of(retry));
        assertThat(store.record(lease, failed(AREA, 2, secondFailure, retry))).contains(expected);

        store.release(lease);
        assertThat(claimed(sameStorage(), webhook, AREA, LONG_LEASE).progress()).isEqualTo(expected);
        assertThat(store.progress(webhook.id())).containsExactly(expected);
    }

    @Test
    void an_attempt_at_an_event_already_passed_is_logged_and_moves_nothing() {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, delivered(AREA, 5));

        assertThat(store.record(lease, delivered(AREA, 3))).contains(progress(AREA, 5));
        assertThat(store.record(lease, failed(AREA, 5, AT, AT.plusSeconds(5)))).contains(progress(AREA, 5));

        assertThat(store.progress(webhook.id())).containsExactly(progress(AREA, 5));
        assertThat(store.attempts(webhook.id(), 10)).hasSize(3);
    }

    @Test
    void progress_is_kept_apart_per_webhook_and_area_and_listed_by_area() throws Exception {
        Webhook webhook = added();
        Webhook another = added(ACME, Optional.empty(), CREATED.plusSeconds(1));
        Webhook ofGlobex = added(GLOBEX, Optional.empty(), CREATED);
        DeliveryLease inOtherProject = claimed(store, webhook, OTHER_PROJECT, LONG_LEASE);
        DeliveryLease inArea = claimed(store, webhook, AREA, LONG_LEASE);
        DeliveryLease anothers = claimed(store, another, AREA, LONG_LEASE);
        DeliveryLease globex = claimed(store, ofGlobex, OTHER_ORG, LONG_LEASE);

        store.record(inOtherProject, delivered(OTHER_PROJECT, 7));
        store.record(inArea, failed(AREA, 1, AT, AT.plusSeconds(10)));
        store.record(anothers, delivered(AREA, 2));
        store.record(globex, delivered(OTHER_ORG, 9));

        WebhookStore other = sameStorage();
        assertThat(other.progress(webhook.id())).containsExactly(
                new DeliveryProgress(AREA, 0, 1, Optional.of(AT), Optional.of(AT.plusSeconds(10))),
                progress(OTHER_PROJECT, 7));
        assertThat(other.progress(another.id())).containsExactly(progress(AREA, 2));
        assertThat(other.progress(ofGlobex.id())).containsExactly(progress(OTHER_ORG, 9));
    }

    // ---- the log ----

    @Test
    void the_log_holds_attempts_of_every_area_last_recorded_first_at_most_the_limit_exactly() throws Exception {
        Webhook webhook = added();
        DeliveryLease inArea = claimed(store, webhook, AREA, LONG_LEASE);
        DeliveryLease inOtherProject = claimed(store, webhook, OTHER_PROJECT, LONG_LEASE);
        DeliveryAttempt refused = new DeliveryAttempt(AREA, 1, "evt_1", AT.plusSeconds(30), DeliveryAttempt.Outcome.FAILED,
                0, Optional.of("x".repeat(DeliveryAttempt.MAX_ERROR + 50)), Optional.of(AT.plusSeconds(60).plusNanos(7)));
        DeliveryAttempt retried = failed(AREA, 1, AT.plusSeconds(60), AT.plusSeconds(120).plusNanos(9));
        DeliveryAttempt taken = delivered(AREA, 1);
        // recorded last, though it happened first: the log is in the order attempts were recorded
        DeliveryAttempt abandoned = new DeliveryAttempt(OTHER_PROJECT, 4, "evt_other", AT.minusSeconds(30),
                DeliveryAttempt.Outcome.GIVEN_UP, 500, Optional.of("500 Internal Server Error"), Optional.empty());

        store.record(inArea, refused);
        store.record(inArea, retried);
        store.record(inArea, taken);
        store.record(inOtherProject, abandoned);

        WebhookStore other = sameStorage();
        assertThat(other.attempts(webhook.id(), 10)).containsExactly(abandoned, taken, retried, refused);
        assertThat(other.attempts(webhook.id(), 2)).containsExactly(abandoned, taken);
        assertThat(other.attempts(webhook.id(), 10).get(3).error().orElseThrow()).hasSize(DeliveryAttempt.MAX_ERROR);
    }

    @Test
    void the_log_keeps_the_latest_kept_attempts_and_no_more() {
        Webhook webhook = added();
        Webhook another = added(ACME, Optional.empty(), CREATED.plusSeconds(1));
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        DeliveryLease anothers = claimed(store, another, AREA, LONG_LEASE);
        store.record(anothers, delivered(AREA, 1));
        int kept = WebhookStore.KEPT_ATTEMPTS;

        for (int sequence = 1; sequence <= kept + 5; sequence++) {
            store.record(lease, delivered(AREA, sequence));
        }

        List<DeliveryAttempt> log = store.attempts(webhook.id(), kept + 100);
        assertThat(log).hasSize(kept);
        assertThat(log.get(0)).isEqualTo(delivered(AREA, kept + 5));
        assertThat(log.get(kept - 1)).isEqualTo(delivered(AREA, 6));
        assertThat(store.attempts(another.id(), 10)).containsExactly(delivered(AREA, 1));
    }

    // ---- rewind ----

    @Test
    void rewind_moves_the_progress_back_or_forward_clears_the_failures_and_ends_the_lease() throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, delivered(AREA, 5));
        store.record(lease, failed(AREA, 6, AT, AT.plusSeconds(10)));

        assertThat(store.rewind(webhook.id(), AREA, 2)).isTrue();

        WebhookStore other = sameStorage();
        assertThat(other.progress(webhook.id())).containsExactly(progress(AREA, 2));
        assertThat(store.record(lease, delivered(AREA, 6))).isEmpty();
        assertThat(store.renew(lease, LONG_LEASE)).isFalse();
        assertThat(other.attempts(webhook.id(), 10)).as("the log keeps them").hasSize(2);
        DeliveryLease next = claimed(other, webhook, AREA, LONG_LEASE);
        assertThat(next.progress()).isEqualTo(progress(AREA, 2));

        assertThat(store.rewind(webhook.id(), AREA, 40)).isTrue();

        assertThat(other.record(next, delivered(AREA, 3))).isEmpty();
        assertThat(other.progress(webhook.id())).containsExactly(progress(AREA, 40));
        assertThat(claimed(store, webhook, AREA, LONG_LEASE).progress()).isEqualTo(progress(AREA, 40));
    }

    @Test
    void rewind_of_an_area_never_claimed_sets_its_progress() {
        Webhook webhook = added();

        assertThat(store.rewind(webhook.id(), OTHER_PROJECT, 12)).isTrue();

        assertThat(store.progress(webhook.id())).containsExactly(progress(OTHER_PROJECT, 12));
        assertThat(claimed(store, webhook, OTHER_PROJECT, LONG_LEASE).progress()).isEqualTo(progress(OTHER_PROJECT, 12));
    }

    // ---- unknown endpoints, refused arguments ----

    @Test
    void every_step_on_an_unknown_webhook_answers_empty_or_false() {
        added();
        String unknown = newId();
        DeliveryLease lease = new DeliveryLease(unknown, 1, DeliveryProgress.start(AREA));

        assertThat(store.find(unknown)).isEmpty();
        assertThat(store.remove(unknown)).isFalse();
        assertThat(store.disable(unknown, "gone")).isFalse();
        assertThat(store.claim(unknown, AREA, LONG_LEASE)).isEmpty();
        assertThat(store.renew(lease, LONG_LEASE)).isFalse();
        store.release(lease);
        assertThat(store.record(lease, delivered(AREA, 1))).isEmpty();
        assertThat(store.progress(unknown)).isEmpty();
        assertThat(store.attempts(unknown, 10)).isEmpty();
        assertThat(store.rewind(unknown, AREA, 0)).isFalse();
    }

    @Test
    void a_lease_on_an_area_not_claimed_yet_changes_nothing() {
        Webhook webhook = added();
        DeliveryLease forged = new DeliveryLease(webhook.id(), 1, DeliveryProgress.start(AREA));

        assertThat(store.record(forged, delivered(AREA, 1))).isEmpty();
        assertThat(store.renew(forged, LONG_LEASE)).isFalse();
        store.release(forged);

        assertThat(store.progress(webhook.id())).isEmpty();
        assertThat(store.attempts(webhook.id(), 10)).isEmpty();
    }

    @Test
    void claims_and_rewinds_of_an_area_the_webhook_does_not_receive_are_refused() {
        Webhook ofProject = added(ACME, Optional.of(new ProjectId("p2")), CREATED);
        Webhook ofOrganization = added();

        assertThatThrownBy(() -> store.claim(ofProject.id(), AREA, LONG_LEASE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim(ofOrganization.id(), OTHER_ORG, LONG_LEASE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.rewind(ofProject.id(), AREA, 3)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.progress(ofProject.id())).isEmpty();
        assertThat(store.progress(ofOrganization.id())).isEmpty();
        claimed(store, ofProject, OTHER_PROJECT, LONG_LEASE);
    }

    @Test
    void arguments_out_of_range_are_refused_and_change_nothing() {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);

        assertThatThrownBy(() -> store.attempts(webhook.id(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.rewind(webhook.id(), AREA, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.record(lease, delivered(OTHER_PROJECT, 1)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.attempts(webhook.id(), 10)).isEmpty();
        assertThat(store.progress(webhook.id())).containsExactly(DeliveryProgress.start(AREA));
        assertThat(store.record(lease, delivered(AREA, 1))).as("the lease is still current").isPresent();
    }

    // ---- races ----

    /** Runs every task at once on its own thread and answers their results in order. */
    @Test
    void skipping_moves_the_progress_past_unwanted_events_without_an_attempt_and_only_under_the_current_lease()
            throws Exception {
        Webhook webhook = added();
        DeliveryLease lease = claimed(store, webhook, AREA, LONG_LEASE);
        store.record(lease, failed(AREA, 1, AT, AT.plusSeconds(5)));

        assertThat(store.skip(lease, 4)).isTrue();
        assertThat(store.skip(lease, 2)).isTrue();

        assertThat(store.progress(webhook.id())).containsExactly(progress(AREA, 4));
        assertThat(store.attempts(webhook.id(), 10)).hasSize(1);
        store.rewind(webhook.id(), AREA, 1);
        assertThat(store.skip(lease, 9)).isFalse();
        assertThat(sameStorage().progress(webhook.id())).containsExactly(progress(AREA, 1));
    }

    @Test
    void secrets_are_replaced_in_order_for_every_instance_and_an_unknown_endpoint_is_false() throws Exception {
        Webhook webhook = added();
        List<String> rotated = List.of("whsec_bmV3LXNlY3JldC1mb3ItdGVzdHM=", webhook.secrets().get(0));

        assertThat(store.replaceSecrets(webhook.id(), rotated)).isTrue();

        assertThat(sameStorage().find(webhook.id()).orElseThrow().secrets()).containsExactlyElementsOf(rotated);
        assertThat(store.replaceSecrets(newId(), rotated)).isFalse();
        assertThat(store.replaceSecrets(webhook.id(), List.of(rotated.get(0)))).isTrue();
        assertThat(store.find(webhook.id()).orElseThrow().secrets()).containsExactly(rotated.get(0));
    }

    @Test
    void a_disabled_endpoint_enabled_again_is_delivered_to_and_an_unknown_one_is_false() throws Exception {
        Webhook webhook = added();
        assertThat(store.disable(webhook.id(), "registering")).isTrue();
        assertThat(store.claim(webhook.id(), AREA, LONG_LEASE)).isEmpty();

        assertThat(store.enable(webhook.id())).isTrue();

        assertThat(sameStorage().find(webhook.id()).orElseThrow().enabled()).isTrue();
        assertThat(store.enabled()).extracting(Webhook::id).contains(webhook.id());
        assertThat(store.claim(webhook.id(), AREA, LONG_LEASE)).isPresent();
        assertThat(store.enable(newId())).isFalse();
    }

    protected static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void of_eight_concurrent_claims_of_one_webhook_and_area_exactly_one_gets_the_lease() throws Exception {
        Webhook webhook = added();
        WebhookStore[] instances = {store, sameStorage()};
        for (int round = 0; round < 6; round++) {
            // rounds 0-2 race for an area never claimed, rounds 3-5 for one whose lease was released
            StagingArea area = new StagingArea(ACME, new ProjectId("race" + round % 3));
            List<Callable<Optional<DeliveryLease>>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                WebhookStore on = instances[i % 2];
                tasks.add(() -> on.claim(webhook.id(), area, LONG_LEASE));
            }

            List<Optional<DeliveryLease>> outcomes = race(tasks);

            List<DeliveryLease> winners = outcomes.stream().flatMap(Optional::stream).toList();
            assertThat(winners).as("round %d", round).hasSize(1);
            assertThat(store.record(winners.get(0), delivered(area, round + 1L))).isPresent();
            store.release(winners.get(0));
        }
        assertThat(store.progress(webhook.id())).extracting(DeliveryProgress::delivered).containsExactly(4L, 5L, 6L);
    }
}
