package dev.filestaging.app.config;

/** Where staged files are kept, chosen by {@code FILES_STORAGE}. */
public enum StorageKind {
    LOCAL,
    S3
}
