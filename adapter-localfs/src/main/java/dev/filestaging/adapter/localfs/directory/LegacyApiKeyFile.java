package dev.filestaging.adapter.localfs.directory;

import dev.filestaging.adapter.localfs.io.DurableFiles;
import dev.filestaging.adapter.localfs.io.IoErrors;
import dev.filestaging.ports.out.SmallRecordStore;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The file API keys were kept in before they became small records ({@code api-keys.properties}:
 * {@code hash = organization|serviceAccount|roles|createdOn}). A data directory that still has one gets its keys
 * copied into the records once, at the first start (or credentials command) of a version that reads records; the file
 * is then renamed {@code api-keys.properties.imported}, kept for the operator. A key already in the records is left
 * as it is, so two processes importing at once agree.
 */
public final class LegacyApiKeyFile {
    static final String FILE_NAME = "api-keys.properties";

    private LegacyApiKeyFile() {}

    /** Copies the keys of {@code dataDirectory}'s legacy file, if it has one, into {@code namespace}; returns how many. */
    public static int importInto(Path dataDirectory, SmallRecordStore records, String namespace) {
        Path file = dataDirectory.resolve(FILE_NAME);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException none) {
            return 0;
        } catch (IOException e) {
            throw IoErrors.translate("read the API keys of " + file, e);
        }
        int imported = 0;
        for (String hash : properties.stringPropertyNames()) {
            if (records.read(namespace, hash).isEmpty()) {
                records.write(namespace, hash, properties.getProperty(hash).strip());
                imported++;
            }
        }
        try {
            Files.move(file, file.resolveSibling(FILE_NAME + ".imported"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(dataDirectory);
        } catch (NoSuchFileException anotherProcessImportedIt) {
            // the same keys are in the records either way
        } catch (IOException e) {
            throw IoErrors.translate("rename " + file + " once imported", e);
        }
        return imported;
    }
}
