package dev.filestaging.adapter.jersey.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method whose body is appended to a resumable upload: {@link RequestBodies} sets no wire limit of
 * its own, since the upload's length (at most {@code FILES_MAX_RESUMABLE_UPLOAD_BYTES}) bounds what is kept and the
 * domain refuses a byte beyond it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AppendBody {}
