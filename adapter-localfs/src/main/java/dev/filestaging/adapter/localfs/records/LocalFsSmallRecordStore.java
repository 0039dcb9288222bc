package dev.filestaging.adapter.localfs.records;

import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.ports.out.SmallRecordStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Small records as files, {@code {root}/{namespace}/{key}}: written to a temp file beside the target, fsynced, renamed
 * over it and the directory fsynced, so a record is always whole. No lock: safe for the command-line tool to write
 * while the server runs.
 */
public final class LocalFsSmallRecordStore implements SmallRecordStore {

    private final Path root;

    /** Records under {@code root}, typically {@code {data dir}/records}. */
    public LocalFsSmallRecordStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public Optional<String> read(String namespace, String key) {
        Path file = file(namespace, key);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw IoErrors.translate("read " + file, e);
        }
    }

    @Override
    public void write(String namespace, String key, String text) {
        Path file = file(namespace, key);
        Path temp = file.resolveSibling("." + key + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            DurableFiles.writeAndSync(temp, text.getBytes(StandardCharsets.UTF_8));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(file.getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write failed already; that is what gets reported
            }
            throw IoErrors.translate("write " + file, e);
        }
    }

    @Override
    public Map<String, String> readAll(String namespace) {
        Path directory = root.resolve(SmallRecordStore.checkedName(namespace));
        Map<String, String> records = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String key = file.getFileName().toString();
                if (SmallRecordStore.NAME.matcher(key).matches()) {
                    read(namespace, key).ifPresent(text -> records.put(key, text));
                }
            }
        } catch (NoSuchFileException none) {
            return records;
        } catch (IOException e) {
            throw IoErrors.translate("list " + directory, e);
        }
        return records;
    }

    private Path file(String namespace, String key) {
        return root.resolve(SmallRecordStore.checkedName(namespace)).resolve(SmallRecordStore.checkedName(key));
    }
}
