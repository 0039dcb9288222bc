package dev.filestaging.adapter.jersey.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method whose request body is a file's content: {@link RequestBodies} lets it be as large as the
 * upload limit. Every other body is small (a form, a JSON object) and is cut off at {@link RequestBodies#SMALL_BODY_BYTES}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UploadBody {}
