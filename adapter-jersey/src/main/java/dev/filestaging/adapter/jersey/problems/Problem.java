package dev.filestaging.adapter.jersey.problems;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document.
 *
 * @param type     where the problem type is described: {@code /docs/problems#{code}}, under the service's public URL
 *                 once an answer is written ({@link #typeUnder}), relative to its root before
 * @param code     stable and machine-readable; clients may switch on it (one {@link ProblemType} each)
 * @param detail   what happened and what to do about it, for a person
 * @param instance {@code request/{id}}: the request's id, as in its {@code X-Request-Id} answer header and its log
 *                 lines; absent from answers given before a request reaches the API (a malformed request line)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Problem of(int status, ProblemType type, String detail) {
        return new Problem(type.uri(""), type.title(), status, detail, type.code(), null);
    }

    /** The same problem with its type's URI under {@code base}, the service's URL as clients see it. */
    public Problem typeUnder(String base) {
        return type.startsWith("/") ? new Problem(base + type, title, status, detail, code, instance) : this;
    }

    /** This occurrence, named by its request's id ({@code request/{id}}, a relative reference). */
    public Problem forRequest(String requestId) {
        return new Problem(type, title, status, detail, code, "request/" + requestId);
    }

    /** The document as sent where Jersey does not write it (answers given before or outside Jersey). */
    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serialisable", e);
        }
    }
}
