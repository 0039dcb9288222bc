package dev.filestaging.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The full audit after a run of {@link Churn}: every acknowledged upload that was not deleted is listed with the size
 * and MD5 the client sent, and its bytes in storage have that MD5; every delete is gone; anything else listed is an
 * upload in flight at a crash and is whole; used quota is the sum of the sizes; nothing half-written is left.
 */
final class Audit {
    /** What the audit looked at. */
    record Figures(int filesListed, long bytesListed, int acknowledgedChecked, int deletesChecked, int inFlightFound,
                   int orphanContent, int openUploads) {}

    private Audit() {}

    static Figures check(Backend backend, RunningApp app, Churn churn, boolean crashLeftoversAllowed) throws Exception {
        Invariants invariants = new Invariants(backend, app);
        JsonNode listing = invariants.listing();
        Map<String, Churn.Sent> listed = new HashMap<>();
        long bytes = 0;
        for (JsonNode file : listing.get("files")) {
            Churn.Sent sent = new Churn.Sent(file.get("sizeBytes").asLong(), file.get("digest").get("hash").asText());
            listed.put(file.get("name").asText(), sent);
            bytes += sent.size();
        }
        assertThat(listing.get("space").get("usedBytes").asLong()).as("used quota is the sum of the sizes").isEqualTo(bytes);

        int acknowledged = 0;
        for (Map.Entry<String, Churn.Sent> created : churn.created.entrySet()) {
            String name = created.getKey();
            boolean mayBeGone = churn.deleteSent.containsKey(name); // a delete cut off by a crash may have happened
            if (!churn.deleted.containsKey(name) && !(mayBeGone && !listed.containsKey(name))) {
                assertThat(listed.get(name)).as("acknowledged upload %s", name).isEqualTo(created.getValue());
                acknowledged++;
            }
        }
        for (String gone : churn.deleted.keySet()) {
            assertThat(listed).as("deleted file %s", gone).doesNotContainKey(gone);
        }
        int inFlight = 0;
        for (Map.Entry<String, Churn.Sent> file : listed.entrySet()) {
            assertThat(churn.attempted.get(file.getKey())).as("listed file %s is what its client sent", file.getKey())
                    .isEqualTo(file.getValue());
            if (!churn.created.containsKey(file.getKey())) {
                inFlight++;
            }
        }
        List<String> expectedDigests = new ArrayList<>(listed.values().stream().map(Churn.Sent::md5).toList());
        List<String> stored = backend.storedDigests();
        int orphanContent = 0;
        int openUploads = 0;
        if (crashLeftoversAllowed) {
            // after kill -9 on S3, blobs that never got their catalog commit and multipart uploads never completed
            // wait for the orphan sweep: invisible, counted here
            assertThat(stored).as("the bytes in storage, re-read").containsAll(expectedDigests);
            orphanContent = stored.size() - expectedDigests.size();
            // what the dead instance left is the orphan sweep's (blobs untouched for 24 hours): waited for briefly,
            // then counted
            long deadline = System.nanoTime() + 20_000_000_000L;
            openUploads = backend.storageLeftovers(stored.size()).size();
            while (openUploads > 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                openUploads = backend.storageLeftovers(stored.size()).size();
            }
        } else {
            assertThat(stored).as("the bytes in storage, re-read").containsExactlyInAnyOrderElementsOf(expectedDigests);
            invariants.awaitNoLeftovers(listed.size());
        }
        return new Figures(listed.size(), bytes, acknowledged, churn.deleted.size(), inFlight, orphanContent, openUploads);
    }
}
