package dev.filestaging.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The catalog's settings, declared once: which catalog, and how to reach PostgreSQL. */
public final class CatalogConfiguration {
    private CatalogConfiguration() {}

    static final Setting<CatalogKind> CATALOG = Setting.choice("FILES_CATALOG",
            Map.of("local", CatalogKind.LOCAL, "postgres", CatalogKind.POSTGRES), null,
            "'local' (the default with FILES_STORAGE=local) or 'postgres' (required with FILES_STORAGE=s3)");
    /** Checked in {@link #read}, where the message can leave out what the URL may hold of a password. */
    static final Setting<String> URL = Setting.text("FILES_CATALOG_URL", null,
            "a jdbc:postgresql:// URL, such as jdbc:postgresql://db.internal:5432/files");
    static final Setting<String> USER = Setting.text("FILES_CATALOG_USER", null, "the database user");
    static final Setting<String> PASSWORD = Setting.text("FILES_CATALOG_PASSWORD", null,
            "the database user's password");
    static final Setting<Path> PASSWORD_FILE = new Setting<>("FILES_CATALOG_PASSWORD_FILE",
            "a file holding the database user's password (its first line)", null, Path::of);

    static final List<Setting<?>> DECLARED = List.of(CATALOG, URL, USER, PASSWORD, PASSWORD_FILE);

    /**
     * How to reach PostgreSQL; never printed with its password.
     *
     * @param password empty for a server that asks none (trust, peer, a .pgpass file)
     */
    public record Postgres(String url, String user, Optional<String> password) {
        public Postgres {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Postgres[url=" + dev.filestaging.adapter.postgres.PostgresSettings.shown(url) + ", user=" + user + ", password=" + (password.isPresent() ? "***" : "none")
                    + "]";
        }
    }

    /** The catalog chosen, and PostgreSQL's settings when it is {@link CatalogKind#POSTGRES}. */
    public record Catalog(CatalogKind kind, Optional<Postgres> postgres) {}

    static Catalog read(Map<String, String> values, StorageKind storage) {
        String given = values.get(CATALOG.key());
        if (given != null && given.strip().equalsIgnoreCase("s3")) {
            throw new ConfigException("FILES_CATALOG=s3 (the bucket's own records) is retired: use"
                    + " FILES_CATALOG=postgres with FILES_CATALOG_URL, after copying the bucket's records with"
                    + " `files-app catalog migrate` (see the README's upgrade note)");
        }
        CatalogKind explicit = CATALOG.read(values);
        if (explicit == null && storage == StorageKind.S3) {
            throw new ConfigException("FILES_STORAGE=s3 needs a catalog for names, files and uploads: set"
                    + " FILES_CATALOG=postgres and FILES_CATALOG_URL (a jdbc:postgresql:// URL). A bucket used with"
                    + " FILES_STORAGE=s3 alone before is copied into it by `files-app catalog migrate`");
        }
        CatalogKind kind = explicit == null ? CatalogKind.LOCAL : explicit;
        if (kind == CatalogKind.LOCAL && storage != StorageKind.LOCAL) {
            throw new ConfigException("FILES_CATALOG=local keeps the catalog in the data directory: it needs"
                    + " FILES_STORAGE=local (for files in S3, use FILES_CATALOG=postgres)");
        }
        if (kind != CatalogKind.POSTGRES) {
            return new Catalog(kind, Optional.empty());
        }
        String url = URL.read(values);
        if (url == null) {
            throw new ConfigException("FILES_CATALOG=postgres needs FILES_CATALOG_URL, " + URL.accepted());
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            // not echoed: a URL such as postgres://user:password@host holds a password
            throw new ConfigException("FILES_CATALOG_URL must be " + URL.accepted() + "; the value given is not one");
        }
        String user = USER.read(values);
        if (user == null && !url.matches("(?s)[^?]*\\?(.*&)?user=.*")) {
            // the driver would log in as the operating system's user: a different role on each machine
            throw new ConfigException("FILES_CATALOG=postgres needs FILES_CATALOG_USER (or user= in FILES_CATALOG_URL)");
        }
        return new Catalog(kind, Optional.of(new Postgres(url, user, password(values))));
    }

    private static Optional<String> password(Map<String, String> values) {
        String given = PASSWORD.read(values);
        Path file = PASSWORD_FILE.read(values);
        if (given != null && file != null) {
            throw new ConfigException("set FILES_CATALOG_PASSWORD or FILES_CATALOG_PASSWORD_FILE, not both");
        }
        if (file == null) {
            return Optional.ofNullable(given);
        }
        try {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return Optional.of(first.strip());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("FILES_CATALOG_PASSWORD_FILE: cannot read " + file + ": " + e.getMessage());
        }
    }
}
