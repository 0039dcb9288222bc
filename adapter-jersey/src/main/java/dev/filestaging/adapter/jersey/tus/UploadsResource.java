package dev.filestaging.adapter.jersey.tus;

import dev.filestaging.adapter.jersey.auth.AuthenticationFilter;
import dev.filestaging.adapter.jersey.files.FilesResource;
import dev.filestaging.adapter.jersey.files.Lifetimes;
import dev.filestaging.adapter.jersey.http.AppendBody;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.http.RawSegments;
import dev.filestaging.adapter.jersey.http.TransferSlots;
import dev.filestaging.adapter.jersey.http.TusProtocol;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.in.ResumableState;
import dev.filestaging.ports.in.ResumeUploads;
import dev.filestaging.ports.in.ResumeUploads.PatchOutcome;
import dev.filestaging.ports.in.UploadRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resumable uploads of one staging area over tus 1.0.0: {@code POST} creates (the name is reserved at once),
 * {@code HEAD} tells the offset, {@code PATCH} appends at it, {@code DELETE} terminates. {@code OPTIONS} is answered
 * before authentication ({@link AuthenticationFilter}). Problems carry a {@code code}, which tells apart the 409 of an
 * offset mismatch from the 409 of a taken name.
 */
public final class UploadsResource {
    /** The header that tells where the staged file is, once the upload is finished. */
    static final String STAGED_FILE = "Staged-File";

    private final ResumeUploads uploads;
    private final StagingArea area;
    private final String basePath;
    private final String filesPath;
    private final HttpSettings settings;
    private final TransferSlots transferSlots;

    public UploadsResource(ResumeUploads uploads, StagingArea area, String basePath, String filesPath, HttpSettings settings,
                    TransferSlots transferSlots) {
        this.uploads = uploads;
        this.area = area;
        this.basePath = basePath;
        this.filesPath = filesPath;
        this.settings = settings;
        this.transferSlots = transferSlots;
    }

    /** tus creation (and creation-with-upload: a body of bytes is appended at offset 0 at once). */
    @POST
    @AppendBody
    public Response create(@Context ContainerRequestContext request) {
        TusProtocol.requireVersion(request);
        Principal principal = AuthenticationFilter.principalOf(request);
        long length = TusProtocol.number(request, "Upload-Length");
        String deferred = request.getHeaderString("Upload-Defer-Length");
        if ((length < 0) == (deferred == null) || (deferred != null && !deferred.strip().equals("1"))) {
            throw Problems.invalidUploadHeader("Upload-Length", "is required (or Upload-Defer-Length: 1 to say the"
                    + " length later), and not both");
        }
        boolean withBytes = hasBody(request);
        if (withBytes && !TusProtocol.OFFSET_OCTET_STREAM.equalsIgnoreCase(mediaType(request))) {
            // first bytes of another type would be dropped in silence while the client counts them as sent
            throw Problems.notOffsetOctetStream(request.getHeaderString(HttpHeaders.CONTENT_TYPE),
                    TusProtocol.OFFSET_OCTET_STREAM);
        }
        if (length == 0 && withBytes) {
            throw Problems.lengthMismatch("an upload of length 0 takes no bytes");
        }
        // checked before anything is created; an upload of no bytes, staged at once, is checked against no bytes
        Optional<ResumeUploads.ChunkCheck> check = checkOf(request.getHeaderString("Upload-Checksum"));
        if (length == 0 && check.isPresent() && !check.get().matches(check.get().newDigest())) {
            throw Problems.checksumMismatch(0);
        }
        Map<String, String> metadata = TusProtocol.metadata(request.getHeaderString("Upload-Metadata"));
        String name = Optional.ofNullable(metadata.get("filename")).or(() -> Optional.ofNullable(metadata.get("name")))
                .filter(n -> !n.isEmpty()).orElseThrow(Problems::missingFileName);
        UploadRequest upload = new UploadRequest(principal, area, name, dataFormat(metadata.get("dataFormat")),
                compressionFormat(metadata.get("compressionFormat")), metadata.get("filetype"),
                Lifetimes.parse(metadata.get(Lifetimes.PARAMETER)));
        ResumableState created = created(uploads.create(upload,
                length < 0 ? OptionalLong.empty() : OptionalLong.of(length), metadata));
        URI location = URI.create(settings.publicUrl().orElse("") + basePath + created.id());
        Response.ResponseBuilder answer = Response.created(location)
                .header("Upload-Expires", TusProtocol.httpDate(created.expires()));
        if (created.staged()) { // no bytes to wait for: staged at creation
            return answer.header("Upload-Offset", created.offset()).header(STAGED_FILE, fileUrl(created.name()))
                    .build();
        }
        if (withBytes) {
            try {
                PatchOutcome appended = append(request, principal, created.id(), 0);
                answer.header("Upload-Offset", stateOf(appended, created.id()).offset());
                stagedFile(appended).ifPresent(url -> answer.header(STAGED_FILE, url));
            } catch (RuntimeException failed) {
                // the client is answered with the failure, never with the upload's address: nothing it could
                // resume, so nothing may keep its name and space until the upload expires
                abandon(principal, created.id(), failed);
                throw failed;
            }
        }
        return answer.build();
    }

    private void abandon(Principal principal, String id, RuntimeException failure) {
        try {
            uploads.terminate(principal, area, id);
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed); // it expires like any idle upload
        }
    }

    /** Where an upload stands; once finished, where its file is. */
    @HEAD
    @Path("{id}")
    public Response status(@Context ContainerRequestContext request) {
        TusProtocol.requireVersion(request);
        String id = RawSegments.last(request);
        ResumableState state = uploads.status(AuthenticationFilter.principalOf(request), area, id)
                .orElseThrow(() -> Problems.uploadNotFound(id));
        Response.ResponseBuilder answer = Response.ok()
                .header("Upload-Offset", state.offset())
                .header("Upload-Expires", TusProtocol.httpDate(state.expires()));
        if (state.length().isPresent()) {
            answer.header("Upload-Length", state.length().getAsLong());
        } else {
            answer.header("Upload-Defer-Length", "1");
        }
        if (!state.metadata().isEmpty()) {
            answer.header("Upload-Metadata", TusProtocol.encodeMetadata(state.metadata()));
        }
        if (state.staged()) {
            answer.header(STAGED_FILE, fileUrl(state.name()));
        }
        return answer.build();
    }

    @PATCH
    @Path("{id}")
    @AppendBody
    public Response append(@Context ContainerRequestContext request) {
        TusProtocol.requireVersion(request);
        if (!TusProtocol.OFFSET_OCTET_STREAM.equalsIgnoreCase(mediaType(request))) {
            throw Problems.notOffsetOctetStream(request.getHeaderString(HttpHeaders.CONTENT_TYPE),
                    TusProtocol.OFFSET_OCTET_STREAM);
        }
        long offset = TusProtocol.number(request, "Upload-Offset");
        if (offset < 0) {
            throw Problems.invalidUploadHeader("Upload-Offset", "is required: the offset the bytes start at");
        }
        String id = RawSegments.last(request);
        PatchOutcome outcome = append(request, AuthenticationFilter.principalOf(request), id, offset);
        ResumableState state = stateOf(outcome, id);
        Response.ResponseBuilder answer = Response.noContent().header("Upload-Offset", state.offset());
        if (!state.staged()) { // progress moved its expiry
            answer.header("Upload-Expires", TusProtocol.httpDate(state.expires()));
        }
        stagedFile(outcome).ifPresent(url -> answer.header(STAGED_FILE, url));
        return answer.build();
    }

    /**
     * {@code POST} with {@code X-HTTP-Method-Override: PATCH} (or {@code DELETE}): what clients send whose HTTP stack
     * has no PATCH, such as Java's {@code HttpURLConnection} in tus-java-client; the protocol allows it.
     */
    @POST
    @Path("{id}")
    @AppendBody
    public Response overridden(@Context ContainerRequestContext request) {
        String method = request.getHeaderString("X-HTTP-Method-Override");
        if ("PATCH".equalsIgnoreCase(method == null ? null : method.strip())) {
            return append(request);
        }
        if ("DELETE".equalsIgnoreCase(method == null ? null : method.strip())) {
            return terminate(request);
        }
        throw Problems.http(405, "Method Not Allowed").with("Allow", "HEAD, PATCH, DELETE, OPTIONS");
    }

    @DELETE
    @Path("{id}")
    public Response terminate(@Context ContainerRequestContext request) {
        TusProtocol.requireVersion(request);
        String id = RawSegments.last(request);
        return switch (uploads.terminate(AuthenticationFilter.principalOf(request), area, id)) {
            case TERMINATED -> Response.noContent().build();
            case NOT_FOUND -> throw Problems.uploadNotFound(id);
            case BUSY -> throw Problems.uploadLocked();
        };
    }

    private PatchOutcome append(ContainerRequestContext request, Principal principal, String id, long offset) {
        Optional<ResumeUploads.ChunkCheck> check = checkOf(request.getHeaderString("Upload-Checksum"));
        long declared = TusProtocol.number(request, "Upload-Length");
        try (TransferSlots.Slot slot = transferSlots.takeForUpload(area.organization())) {
            InputStream body = request.getEntityStream();
            return uploads.append(principal, area, id, offset, body, check,
                    declared < 0 ? OptionalLong.empty() : OptionalLong.of(declared));
        } catch (IOException failure) {
            throw Problems.appendBroken(ProblemMapper.bodyFailure(failure));
        }
    }

    private ResumableState created(ResumeUploads.CreateOutcome outcome) {
        return outcome.fold(ResumeUploads.CreateOutcome.Created::state,
                refusal -> { throw refusal.fold(Problems.UPLOAD_REFUSALS); },
                tooLarge -> { throw Problems.resumableTooLarge(tooLarge.maxBytes()); },
                tooMany -> { throw Problems.tooManyOpenUploads(tooMany.limit()); });
    }

    /** Where the upload stands after an append, or the problem it came to. */
    private static ResumableState stateOf(PatchOutcome outcome, String id) {
        return outcome.fold(new PatchOutcome.Cases<ResumableState>() {
            @Override
            public ResumableState appended(PatchOutcome.Appended appended) {
                return appended.state();
            }

            @Override
            public ResumableState completed(PatchOutcome.Completed completed) {
                return completed.state();
            }

            @Override
            public ResumableState finished(PatchOutcome.Finished finished) {
                return finished.state();
            }

            @Override
            public ResumableState offsetMismatch(PatchOutcome.OffsetMismatch mismatch) {
                throw Problems.offsetMismatch(mismatch.offset());
            }

            @Override
            public ResumableState checksumMismatch(PatchOutcome.ChecksumMismatch mismatch) {
                throw Problems.checksumMismatch(mismatch.offset());
            }

            @Override
            public ResumableState lengthMismatch(PatchOutcome.LengthMismatch mismatch) {
                throw Problems.lengthMismatch(mismatch.reason());
            }

            @Override
            public ResumableState busy(PatchOutcome.Busy busy) {
                throw Problems.uploadLocked();
            }

            @Override
            public ResumableState notFound(PatchOutcome.NotFound notFound) {
                throw Problems.uploadNotFound(id);
            }

            @Override
            public ResumableState refused(PatchOutcome.Refused refused) {
                throw refused.refusal().fold(Problems.UPLOAD_REFUSALS);
            }

            @Override
            public ResumableState declined(PatchOutcome.Declined declined) {
                throw Problems.appendDeclined(declined.refusal().fold(Problems.UPLOAD_REFUSALS),
                        declined.state().offset());
            }
        });
    }

    private Optional<String> stagedFile(PatchOutcome outcome) {
        if (outcome instanceof PatchOutcome.Completed completed) {
            return Optional.of(fileUrl(completed.file().name()));
        }
        return outcome instanceof PatchOutcome.Finished finished
                ? Optional.of(fileUrl(finished.state().name())) : Optional.empty();
    }

    private String fileUrl(String name) {
        return settings.publicUrl().orElse("") + filesPath + FilesResource.encodeSegment(name);
    }

    private static Optional<ResumeUploads.ChunkCheck> checkOf(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String[] parts = header.strip().split(" ");
        if (parts.length != 2) {
            throw Problems.invalidUploadHeader("Upload-Checksum", "must be an algorithm and a base64 digest");
        }
        if (!TusProtocol.checksumAlgorithms().contains(parts[0])) {
            throw Problems.unsupportedChecksum(parts[0], TusProtocol.CHECKSUM_ALGORITHMS);
        }
        try {
            byte[] digest = Base64.getDecoder().decode(parts[1]);
            ResumeUploads.ChunkCheck check = new ResumeUploads.ChunkCheck(parts[0], digest);
            int expected = check.newDigest().getDigestLength();
            if (digest.length != expected) {
                // no bytes can match it: a malformed header, not a data mismatch
                throw Problems.invalidUploadHeader("Upload-Checksum", "has a digest of " + digest.length
                        + " bytes where " + parts[0] + " has " + expected);
            }
            return Optional.of(check);
        } catch (IllegalArgumentException notBase64) {
            throw Problems.invalidUploadHeader("Upload-Checksum", "has a digest that is not base64");
        }
    }

    private static DataFormat dataFormat(String wire) {
        return wire == null || wire.isEmpty() ? null
                : DataFormat.fromWireName(wire).orElseThrow(() -> Problems.unknownDataFormat(wire));
    }

    private static CompressionFormat compressionFormat(String wire) {
        return wire == null || wire.isEmpty() ? null
                : CompressionFormat.fromWireName(wire).orElseThrow(() -> Problems.unknownCompressionFormat(wire));
    }

    private static String mediaType(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return type == null ? "" : type.split(";")[0].strip();
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return request.getHeaderString("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }
}
