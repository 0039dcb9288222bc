package dev.filestaging.storage.records;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.out.UploadTicket;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A resumable upload's ticket and durable offset as a small, versioned UTF-8 properties document, for stores that
 * keep it beside the upload's bytes. A store may add attributes of its own (where the bytes are, say) under a
 * {@code store.} prefix, so they never clash with the ticket's fields.
 *
 * @param offset          the bytes of the upload that are durable
 * @param storeAttributes the store's own attributes, without the prefix
 */
public record UploadTicketRecord(UploadTicket ticket, long offset, Map<String, String> storeAttributes) {
    private static final String VERSION = "1";
    private static final String METADATA_PREFIX = "metadata.";
    private static final String STORE_PREFIX = "store.";

    public UploadTicketRecord {
        Objects.requireNonNull(ticket, "ticket");
        if (offset < 0) {
            throw new IllegalArgumentException("an offset is 0 or more");
        }
        storeAttributes = Map.copyOf(storeAttributes);
    }

    /** A record without attributes of the store's own. */
    public UploadTicketRecord(UploadTicket ticket, long offset) {
        this(ticket, offset, Map.of());
    }

    public byte[] encode() {
        Properties p = Documents.versioned(VERSION);
        p.setProperty("id", ticket.id());
        Documents.putArea(p, ticket.key().area());
        p.setProperty("name", ticket.key().name());
        p.setProperty("length", Long.toString(ticket.length()));
        p.setProperty("uploadedBy", ticket.uploadedBy());
        p.setProperty("created", ticket.created().toString());
        p.setProperty("expires", ticket.expires().toString());
        p.setProperty("offset", Long.toString(offset));
        Documents.putPrefixed(p, METADATA_PREFIX, TicketMetadata.joined(ticket.metadata(), ticket.declared()));
        Documents.putPrefixed(p, STORE_PREFIX, storeAttributes);
        return Documents.bytes(p);
    }

    /**
     * Reads a record written by {@link #encode}.
     *
     * @throws IOException the bytes are not a record of a known version, or a field is missing or invalid
     */
    public static UploadTicketRecord decode(byte[] bytes) throws IOException {
        Properties p = Documents.read(bytes, VERSION, "upload record");
        try {
            TicketMetadata.Split metadata = TicketMetadata.split(Documents.prefixed(p, METADATA_PREFIX));
            UploadTicket ticket = new UploadTicket(p.getProperty("id"), new FileKey(Documents.areaOf(p),
                    p.getProperty("name")), Long.parseLong(p.getProperty("length")), metadata.client(),
                    metadata.declared(), p.getProperty("uploadedBy"),
                    Instant.parse(p.getProperty("created")), Instant.parse(p.getProperty("expires")));
            return new UploadTicketRecord(ticket, Long.parseLong(p.getProperty("offset")),
                    Documents.prefixed(p, STORE_PREFIX));
        } catch (RuntimeException e) {
            throw new IOException("corrupt upload record: " + e.getMessage(), e);
        }
    }
}
