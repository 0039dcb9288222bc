package dev.filestaging.adapter.jersey;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document.
 *
 * @param code     stable and machine-readable; clients may switch on it
 * @param detail   what happened and what to do about it, for a person
 * @param instance {@code request/{id}}: the request's id, as in its {@code X-Request-Id} answer header and its log
 *                 lines; absent from answers given before a request reaches the API (a malformed request line)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {
    static final String MEDIA_TYPE = "application/problem+json";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:filestaging:problem:" + code, title, status, detail, code, null);
    }

    /** This occurrence, named by its request's id ({@code request/{id}}, a relative reference). */
    Problem forRequest(String requestId) {
        return new Problem(type, title, status, detail, code, "request/" + requestId);
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
