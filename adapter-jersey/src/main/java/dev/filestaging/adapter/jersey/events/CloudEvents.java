package dev.filestaging.adapter.jersey.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.events.Change;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change-log entry as a CloudEvent 1.0 in structured mode: one JSON object holding the context attributes and the
 * event's {@code data}. The change feed and webhook bodies both use it, so a client sees one shape wherever an event
 * reaches it. Attributes come in a fixed order (the required ones first), and every {@code data} member is present,
 * null when it has no value, so receivers can rely on the members of a type being there.
 */
public final class CloudEvents {
    /** The media type of one event in structured mode (CloudEvents JSON format, section 4). */
    public static final String MEDIA_TYPE = "application/cloudevents+json";
    /** The media type of {@code data}. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    /**
     * Digits of a padded {@code sequence}: a long has at most 19. The sequence extension requires values that order
     * as strings ("10" sorts before "9"), and says to pad with zeros.
     */
    private static final int SEQUENCE_DIGITS = 19;

    /** Thread-safe once configured; default settings write a map in its iteration order and nulls as null. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEvents() {}

    /** {@code change} as a CloudEvent, in the order its members are written. */
    public static Map<String, Object> event(Change change) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", change.eventId());
        event.put("source", source(change.area()));
        event.put("type", change.kind().type());
        event.put("subject", change.key().name());
        event.put("time", change.at().toString());
        event.put("datacontenttype", DATA_CONTENT_TYPE);
        event.put("sequence", sequence(change.sequence()));
        event.put("data", change.file() != null ? fileData(change, change.file())
                : uploadData(change, change.upload()));
        return event;
    }

    /** {@link #event} as UTF-8 JSON without whitespace: the exact bytes a webhook signs and sends. */
    public static byte[] json(Change change) {
        try {
            return JSON.writeValueAsBytes(event(change));
        } catch (JsonProcessingException e) {
            // only strings, numbers, nulls and maps of them: nothing Jackson can fail on
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
    }

    /** The event source of an area: a URI reference that is the same for every event of the area. */
    public static String source(StagingArea area) {
        // organization and project ids are letters, digits, '_' and '-': nothing to escape in a path
        return "/organizations/" + area.organization().value() + "/projects/" + area.project().value();
    }

    /** {@code sequence} as the sequence extension's string: zero-padded decimal, so it orders as a string too. */
    public static String sequence(long sequence) {
        String digits = Long.toString(sequence);
        return "0".repeat(Math.max(0, SEQUENCE_DIGITS - digits.length())) + digits;
    }

    private static Map<String, Object> fileData(Change change, StoredFile file) {
        Map<String, Object> data = new LinkedHashMap<>();
        putArea(data, change);
        data.put("fileId", file.id().toString()); // the same value the API's ETag carries
        data.put("sizeBytes", file.sizeBytes());
        data.put("md5", file.digest().hash());
        data.put("dataFormat", file.dataFormat() == null ? null : file.dataFormat().wireName());
        data.put("compressionFormat", file.compressionFormat() == null ? null : file.compressionFormat().wireName());
        data.put("uploadedBy", file.uploadedByUserId());
        data.put("uploadedOn", iso(file.uploadedOn()));
        data.put("uploadedVia", file.uploadedVia() == null ? null : file.uploadedVia().wireName());
        data.put("expiresAt", iso(file.expiresAt()));
        data.put("sequence", change.sequence());
        return data;
    }

    private static Map<String, Object> uploadData(Change change, Change.ExpiredUpload upload) {
        Map<String, Object> data = new LinkedHashMap<>();
        putArea(data, change);
        data.put("uploadId", upload.id());
        data.put("receivedBytes", upload.receivedBytes());
        data.put("length", upload.declaredLength().isPresent() ? upload.declaredLength().getAsLong() : null);
        data.put("uploadedBy", upload.uploadedBy());
        data.put("created", iso(upload.created()));
        data.put("sequence", change.sequence());
        return data;
    }

    private static void putArea(Map<String, Object> data, Change change) {
        data.put("organization", change.area().organization().value());
        data.put("project", change.area().project().value());
        data.put("name", change.key().name());
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
