package dev.filestaging.storage.records;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The versioned UTF-8 properties documents every record here is: writing, reading, and their shared fields. */
final class Documents {
    private Documents() {}

    static Properties versioned(String version) {
        Properties p = new Properties();
        p.setProperty("version", version);
        return p;
    }

    static void putArea(Properties p, StagingArea area) {
        p.setProperty("organization", area.organization().value());
        p.setProperty("project", area.project().value());
    }

    static StagingArea areaOf(Properties p) {
        return new StagingArea(new OrganizationId(p.getProperty("organization")), new ProjectId(p.getProperty("project")));
    }

    static void putPrefixed(Properties p, String prefix, Map<String, String> values) {
        values.forEach((name, value) -> p.setProperty(prefix + name, value));
    }

    static Map<String, String> prefixed(Properties p, String prefix) {
        Map<String, String> values = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                values.put(name.substring(prefix.length()), p.getProperty(name));
            }
        }
        return values;
    }

    static byte[] bytes(Properties p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            p.store(writer, null);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** @throws IOException the document is not of {@code version} */
    static Properties read(byte[] bytes, String version, String what) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        if (!version.equals(p.getProperty("version"))) {
            throw new IOException("unknown " + what + " version " + p.getProperty("version"));
        }
        return p;
    }
}
