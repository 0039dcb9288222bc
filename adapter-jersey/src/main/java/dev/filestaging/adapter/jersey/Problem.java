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

    static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:filestaging:problem:" + code, title, status, detail, code);
    }
}
