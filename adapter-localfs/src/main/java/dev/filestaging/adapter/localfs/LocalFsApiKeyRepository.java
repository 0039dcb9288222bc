package dev.filestaging.adapter.localfs;

import dev.filestaging.ports.out.ApiKeyRecord;
import dev.filestaging.ports.out.ApiKeyRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * API key hashes in one properties file ({@code hash = organization|serviceAccount|roles|createdOn}). Writers take a
 * file lock and replace the file atomically, so the command-line tool can add keys while the server runs; readers
 * reload it when its modification time or size changes.
 */
public final class LocalFsApiKeyRepository implements ApiKeyRepository {

    private final Path file;
    private final Path lockFile;
    private volatile Map<String, ApiKeyRecord> byHash = Map.of();
    private volatile FileTime loadedModified;
    private volatile long loadedSize = -1;

    public LocalFsApiKeyRepository(Path file) {
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    }

    @Override
    public Optional<ApiKeyRecord> findByHash(String keyHash) {
        reloadIfChanged();
        return Optional.ofNullable(byHash.get(keyHash));
    }

    @Override
    public List<ApiKeyRecord> all() {
        reloadIfChanged();
        return List.copyOf(byHash.values());
    }

    @Override
    public void save(ApiKeyRecord record) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Map<String, ApiKeyRecord> records = new ConcurrentHashMap<>(read());
                records.put(record.keyHash(), record);
                write(records);
            }
            reloadIfChanged();
        } catch (IOException e) {
            throw IoErrors.translate("save an API key in " + file, e);
        }
    }

    private synchronized void reloadIfChanged() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.lastModifiedTime().equals(loadedModified) && attributes.size() == loadedSize) {
                return;
            }
            byHash = Map.copyOf(read());
            loadedModified = attributes.lastModifiedTime();
            loadedSize = attributes.size();
        } catch (NoSuchFileException none) {
            byHash = Map.of();
            loadedModified = null;
            loadedSize = -1;
        } catch (IOException e) {
            throw IoErrors.translate("read API keys from " + file, e);
        }
    }

    private Map<String, ApiKeyRecord> read() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file); Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException none) {
            return Map.of();
        }
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(hash -> hash, hash -> ApiKeyRecord.fromLine(hash, properties.getProperty(hash))));
    }

    private void write(Map<String, ApiKeyRecord> records) throws IOException {
        Properties properties = new Properties();
        records.values().forEach(r -> properties.setProperty(r.keyHash(), r.toLine()));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             Writer writer = new OutputStreamWriter(java.nio.channels.Channels.newOutputStream(channel), StandardCharsets.UTF_8)) {
            properties.store(writer, "API keys: SHA-256 of each key. Manage with: java -jar files-app.jar api-key");
            writer.flush();
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(file.getParent());
    }
}
