package dev.filestaging.adapter.jersey.http;

import dev.filestaging.ports.in.Authenticate;
import dev.filestaging.ports.in.CheckReadiness;
import dev.filestaging.ports.in.DeleteFile;
import dev.filestaging.ports.in.GetFile;
import dev.filestaging.ports.in.IssueToken;
import dev.filestaging.ports.in.ListFiles;
import dev.filestaging.ports.in.ReadFile;
import dev.filestaging.ports.in.ResumeUploads;
import dev.filestaging.ports.in.ShareFile;
import dev.filestaging.ports.in.UploadFile;
import java.util.List;
import java.util.Objects;

/**
 * The use cases the HTTP API serves.
 *
 * @param authenticators tried in order until one accepts the credentials
 * @param tokens         the built-in OAuth issuer, or null to serve no token endpoint
 * @param links          signed links, or null to serve none
 * @param resumable      resumable (tus) uploads
 * @param readiness      whether the storage answers, for {@code /health/ready}; null: ready whenever serving
 * @param events         the change feed, or null to serve none
 * @param webhooks       the endpoints that receive events, or null to serve none
 */
public record FilesApi(
        UploadFile upload, ListFiles list, GetFile get, ReadFile read, DeleteFile delete,
        List<Authenticate> authenticators, IssueToken tokens, ShareFile links, ResumeUploads resumable,
        CheckReadiness readiness, dev.filestaging.ports.in.ReadEvents events,
        dev.filestaging.ports.in.ManageWebhooks webhooks) {
    public FilesApi {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(get, "get");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(delete, "delete");
        Objects.requireNonNull(resumable, "resumable");
        authenticators = List.copyOf(authenticators);
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("at least one authenticator is needed");
        }
    }

    /** Without the change feed and webhooks. */
    public FilesApi(UploadFile upload, ListFiles list, GetFile get, ReadFile read, DeleteFile delete,
                    List<Authenticate> authenticators, IssueToken tokens, ShareFile links, ResumeUploads resumable,
                    CheckReadiness readiness) {
        this(upload, list, get, read, delete, authenticators, tokens, links, resumable, readiness, null, null);
    }

    /** These use cases, with the change feed and webhooks. */
    public FilesApi withEvents(dev.filestaging.ports.in.ReadEvents feed, dev.filestaging.ports.in.ManageWebhooks hooks) {
        return new FilesApi(upload, list, get, read, delete, authenticators, tokens, links, resumable, readiness, feed,
                hooks);
    }

    /** Ready whenever serving. */
    public FilesApi(UploadFile upload, ListFiles list, GetFile get, ReadFile read, DeleteFile delete,
                    List<Authenticate> authenticators, IssueToken tokens, ShareFile links, ResumeUploads resumable) {
        this(upload, list, get, read, delete, authenticators, tokens, links, resumable, null);
    }

    /** Without a token endpoint and signed links. */
    public FilesApi(UploadFile upload, ListFiles list, GetFile get, ReadFile read, DeleteFile delete,
                    List<Authenticate> authenticators, ResumeUploads resumable) {
        this(upload, list, get, read, delete, authenticators, null, null, resumable, null);
    }
}
