package dev.filestaging.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.ports.out.SmallRecordStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link SmallRecordStore} contract, run unchanged against every implementation. */
public abstract class SmallRecordStoreContractTest {

    /** A new, empty store; {@link #sameStorage} must see what it writes. */
    protected abstract SmallRecordStore newStore() throws Exception;

    /** Another store on the same storage, as another process would open it. */
    protected abstract SmallRecordStore sameStorage() throws Exception;

    @Test
    void a_written_record_is_read_back_by_another_process_and_listed() throws Exception {
        SmallRecordStore store = newStore();
        store.write("oauth-clients", "client-1", "acme|sa|ManageFiles");
        store.write("oauth-clients", "client-2", "line two\nwith ünïcödé");
        store.write("signing-keys", "key-1", "{}");

        SmallRecordStore other = sameStorage();

        assertThat(other.read("oauth-clients", "client-1")).contains("acme|sa|ManageFiles");
        assertThat(other.read("oauth-clients", "missing")).isEmpty();
        assertThat(other.readAll("oauth-clients"))
                .isEqualTo(Map.of("client-1", "acme|sa|ManageFiles", "client-2", "line two\nwith ünïcödé"));
        assertThat(other.readAll("empty-namespace")).isEmpty();
    }

    @Test
    void a_write_replaces_the_record_whole() throws Exception {
        SmallRecordStore store = newStore();
        store.write("ns", "k", "a much longer first version");
        store.write("ns", "k", "short");
        assertThat(sameStorage().read("ns", "k")).contains("short");
    }

    @Test
    void names_that_could_escape_are_refused() throws Exception {
        SmallRecordStore store = newStore();
        assertThatThrownBy(() -> store.write("ns", "../escape", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write("a/b", "k", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("ns", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
