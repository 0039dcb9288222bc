package dev.filestaging.adapter.localfs.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.contract.SmallRecordStoreContractTest;
import dev.filestaging.ports.out.SmallRecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFsSmallRecordStoreTest extends SmallRecordStoreContractTest {

    @TempDir
    Path directory;

    @Override
    protected SmallRecordStore newStore() {
        return new LocalFsSmallRecordStore(directory.resolve("records"));
    }

    @Override
    protected SmallRecordStore sameStorage() {
        return new LocalFsSmallRecordStore(directory.resolve("records"));
    }

    @Test
    void writes_leave_no_temp_files() throws Exception {
        SmallRecordStore store = newStore();
        store.write("ns", "k", "one");
        store.write("ns", "k", "two");
        try (Stream<Path> files = Files.list(directory.resolve("records/ns"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("k");
        }
    }
}
