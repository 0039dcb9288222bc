package dev.filestaging.adapter.jersey;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document.
 *
 * @param code   stable and machine-readable; clients may switch on it
 * @param detail what happened and what to do about it, for a person
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {
    static final String MEDIA_TYPE = "application/problem+json";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:filestaging:problem:" + code, title, status, detail, code);
    }

    /** The document as sent where Jersey does not write it (answers given before or outside Jersey). */
    byte[] json() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serialisable", e);
        }
    }
}
