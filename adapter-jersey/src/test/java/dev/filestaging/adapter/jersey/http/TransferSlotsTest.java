package dev.filestaging.adapter.jersey.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.jersey.problems.ApiProblem;
import dev.filestaging.ports.OrganizationId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How transfer slots are shared: by organization, with signed-link reads in a smaller pool of their own. */
class TransferSlotsTest {
    private static final OrganizationId ACME = new OrganizationId("acme");
    private static final OrganizationId GLOBEX = new OrganizationId("globex");
    private static final OrganizationId INITECH = new OrganizationId("initech");

    private final AtomicLong now = new AtomicLong();
    private final TransferSlots slots = new TransferSlots(8, now::get);
    private final List<TransferSlots.Slot> held = new ArrayList<>();

    @Test
    void alone_an_organization_may_use_every_slot() {
        take(ACME, 8);
        assertThatThrownBy(() -> slots.takeForUpload(ACME)).isInstanceOfSatisfying(ApiProblem.class,
                refused -> assertThat(refused.problem().status()).isEqualTo(503));
        assertThat(slots.inUse()).isEqualTo(8);
    }

    @Test
    void once_another_organization_wants_a_slot_each_keeps_at_most_half() {
        take(ACME, 8);
        assertThatThrownBy(() -> slots.takeForUpload(GLOBEX)).as("all busy; globex now wants one")
                .isInstanceOf(ApiProblem.class);

        held.remove(0).close();
        assertThatThrownBy(() -> slots.takeForDownload(ACME)).as("acme holds 7, over its share of 4")
                .isInstanceOf(ApiProblem.class).hasMessageContaining("its share");
        held.add(slots.takeForUpload(GLOBEX));

        for (int i = 0; i < 4; i++) {
            held.remove(0).close(); // acme's transfers end one by one
        }
        assertThat(slots.inUse()).as("acme 3, globex 1").isEqualTo(4);
        held.add(slots.takeForUpload(ACME)); // below its share again
        assertThatThrownBy(() -> slots.takeForUpload(ACME)).as("4 of 8 while globex holds one")
                .isInstanceOf(ApiProblem.class);
        take(GLOBEX, 3);
        assertThat(slots.inUse()).isEqualTo(8);
    }

    @Test
    void an_organization_below_its_share_always_gets_a_free_slot() {
        take(ACME, 3);
        take(GLOBEX, 1);
        take(ACME, 1); // 4 of 8: its share
        assertThatThrownBy(() -> slots.takeForUpload(ACME)).as("globex holds a slot: acme is at its share")
                .isInstanceOf(ApiProblem.class);
        take(GLOBEX, 3);
        take(INITECH, 0);
        assertThat(slots.inUse()).isEqualTo(8);
    }

    @Test
    void contention_ends_a_while_after_the_last_refusal() {
        take(ACME, 8);
        assertThatThrownBy(() -> slots.takeForUpload(GLOBEX)).isInstanceOf(ApiProblem.class);
        held.remove(0).close();
        assertThatThrownBy(() -> slots.takeForUpload(ACME)).isInstanceOf(ApiProblem.class);

        now.addAndGet(TimeUnit.SECONDS.toNanos(TransferSlots.CONTENTION_WINDOW_SECONDS) + 1);
        held.add(slots.takeForUpload(ACME));
        assertThat(slots.inUse()).isEqualTo(8);
    }

    @Test
    void signed_link_reads_take_few_slots_and_count_against_their_organization() {
        assertThat(slots.linkCapacity()).isEqualTo(2);
        held.add(slots.takeForLink(ACME));
        held.add(slots.takeForLink(ACME));
        assertThatThrownBy(() -> slots.takeForLink(ACME)).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("signed-link slots");
        assertThatThrownBy(() -> slots.takeForLink(GLOBEX)).as("the link slots are all taken")
                .isInstanceOf(ApiProblem.class);
        take(GLOBEX, 4);
        take(ACME, 2);
        assertThat(slots.inUse()).isEqualTo(8);

        held.get(0).close();
        held.get(0).close(); // closing twice frees one slot only
        assertThat(slots.inUse()).isEqualTo(7);
        assertThatThrownBy(() -> slots.takeForLink(GLOBEX)).as("globex holds its share, 4 of 8")
                .isInstanceOf(ApiProblem.class).hasMessageContaining("its share of the transfer slots");
        assertThatThrownBy(() -> slots.takeForLink(ACME)).as("globex wants a link slot: acme keeps 1 of 2")
                .isInstanceOf(ApiProblem.class).hasMessageContaining("its share of the signed-link slots");
        held.add(slots.takeForLink(INITECH));
        assertThat(slots.inUse()).isEqualTo(8);
    }

    @Test
    void one_slot_serves_one_transfer_whoever_asks() {
        TransferSlots one = new TransferSlots(1, now::get);
        assertThat(one.share()).isEqualTo(1);
        assertThat(one.linkCapacity()).isEqualTo(1);
        TransferSlots.Slot slot = one.takeForLink(ACME);
        assertThatThrownBy(() -> one.takeForUpload(GLOBEX)).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("all 1 transfer slots");
        slot.close();
        one.takeForUpload(GLOBEX).close();
    }

    private void take(OrganizationId organization, int count) {
        for (int i = 0; i < count; i++) {
            held.add(slots.takeForUpload(organization));
        }
    }
}
