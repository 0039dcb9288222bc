package dev.filestaging.ports;

/** How a file's bytes arrived: the form of its upload, as events and metadata name it. */
public enum UploadMethod {
    /** One request ({@code POST /v1/files}, a multipart form). */
    MULTIPART("multipart"),
    /** A tus upload, in one or more requests. */
    RESUMABLE("resumable");

    private final String wireName;

    UploadMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The name clients see. */
    public String wireName() {
        return wireName;
    }
}
