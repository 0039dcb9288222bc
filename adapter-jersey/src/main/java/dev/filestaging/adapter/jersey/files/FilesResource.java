package dev.filestaging.adapter.jersey.files;

import dev.filestaging.adapter.jersey.auth.AuthenticationFilter;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.HttpSettings;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.http.RawSegments;
import dev.filestaging.adapter.jersey.http.TransferSlots;
import dev.filestaging.adapter.jersey.http.UploadBody;
import dev.filestaging.adapter.jersey.multipart.MultipartFileReader;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.ContentSlice;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.FileListing;
import dev.filestaging.ports.in.ListQuery;
import dev.filestaging.ports.in.ReadFile;
import dev.filestaging.ports.in.ShareOutcome;
import dev.filestaging.ports.in.Upload;
import dev.filestaging.ports.in.UploadOutcome;
import dev.filestaging.ports.in.UploadRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.glassfish.jersey.server.CloseableService;

/** The files of one staging area: upload, list, get, delete. */
@Produces(MediaType.APPLICATION_JSON)
public final class FilesResource {

    private final FilesApi api;
    private final StagingArea area;
    private final String basePath;
    private final HttpSettings settings;
    private final TransferSlots transferSlots;
    private final long maxUploadBytes;
    private final MultipartFileReader multipart = new MultipartFileReader();

    public FilesResource(FilesApi api, StagingArea area, String basePath, HttpSettings settings, TransferSlots transferSlots) {
        this.api = api;
        this.area = area;
        this.basePath = basePath;
        this.settings = settings;
        this.transferSlots = transferSlots;
        this.maxUploadBytes = settings.maxUploadBytes();
    }

    /**
     * A multipart POST drives the three steps of an upload in one request: begin (name and rights, before any byte),
     * append the file part, check the parts after it, complete. A request broken anywhere stages nothing.
     */
    @POST
    @UploadBody
    public Response upload(
            @Context ContainerRequestContext request,
            @QueryParam("dataFormat") String dataFormat,
            @QueryParam("compressionFormat") String compressionFormat,
            @QueryParam(Lifetimes.PARAMETER) String expiresAfterSeconds) {
        Principal principal = AuthenticationFilter.principalOf(request);
        java.time.Duration askedLifetime = Lifetimes.parse(expiresAfterSeconds);
        DataFormat declaredData = dataFormat == null || dataFormat.isEmpty() ? null
                : DataFormat.fromWireName(dataFormat).orElseThrow(() -> Problems.unknownDataFormat(dataFormat));
        CompressionFormat declaredCompression = compressionFormat == null || compressionFormat.isEmpty() ? null
                : CompressionFormat.fromWireName(compressionFormat)
                        .orElseThrow(() -> Problems.unknownCompressionFormat(compressionFormat));
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        MediaType mediaType = request.getMediaType();
        if (mediaType == null || !mediaType.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) {
            throw Problems.notMultipart(contentType);
        }
        long declaredLength = declaredLength(request);
        if (declaredLength > maxUploadBytes) {
            throw Problems.uploadTooLarge(maxUploadBytes);
        }
        byte[] requestMd5 = ContentMd5.parse(request.getHeaderString(ContentMd5.HEADER));
        UploadOutcome outcome;
        try (TransferSlots.Slot slot = transferSlots.takeForUpload(area.organization())) {
            MultipartFileReader.FilePart file = multipart.firstFile(contentType, request.getEntityStream());
            byte[] expectedMd5 = ContentMd5.either(requestMd5, ContentMd5.parse(file.contentMd5()));
            java.time.Duration keepFor = askedLifetime != null ? askedLifetime
                    : Lifetimes.parse(file.fieldBefore(Lifetimes.PARAMETER).orElse(null));
            Upload upload = api.upload().begin(new UploadRequest(principal, area, file.fileName(), declaredData,
                            declaredCompression, file.mediaType(), keepFor))
                    .fold(begun -> begun, refusal -> { throw refusal.fold(Problems.UPLOAD_REFUSALS); });
            try (upload) {
                upload.append(file.content())
                        .fold(appended -> appended, refusal -> { throw refusal.fold(Problems.UPLOAD_REFUSALS); });
                file.checkRest();
                outcome = upload.complete(expectedMd5);
            }
        } catch (IOException failure) {
            throw ProblemMapper.bodyFailure(failure);
        }
        return outcome.fold(this::created, refusal -> { throw refusal.fold(Problems.UPLOAD_REFUSALS); });
    }

    /** Content-Length as a long: JAX-RS's {@code getLength()} is an int and fails on bodies over 2 GiB. -1 if absent. */
    private static long declaredLength(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw Problems.malformedMultipart("the Content-Length header is not a number");
        }
    }

    private Response created(UploadOutcome.Uploaded uploaded) {
        String path = basePath + encodeSegment(uploaded.file().name());
        // the public URL when one is configured: behind a proxy the Host header is the proxy's business
        return Response.created(URI.create(settings.publicUrl().map(url -> url + path).orElse(path)))
                .tag(etagOf(uploaded.file()))
                .entity(FileJson.of(uploaded.file()))
                .build();
    }

    /**
     * Without {@code limit}, {@code cont} or {@code pattern}: every file, exactly as Polaris answers. With them: one
     * page of names matching the glob, and a {@code cont} token (also as a {@code Link: rel="next"}) while more may
     * follow.
     */
    @GET
    public Response list(@Context ContainerRequestContext request, @QueryParam("limit") String limit,
                         @QueryParam("cont") String cont, @QueryParam("pattern") String pattern) {
        Principal principal = AuthenticationFilter.principalOf(request);
        if (limit == null && cont == null && pattern == null) {
            return Response.ok(FileJson.ListJson.of(api.list().list(principal, area))).build();
        }
        ListQuery query = new ListQuery(cont == null || cont.isEmpty() ? null : ContinuationToken.nameOf(cont),
                limitOf(limit), globOf(pattern));
        FileListing page = api.list().list(principal, area, query);
        Response.ResponseBuilder answer = Response.ok(FileJson.ListJson.of(page));
        // built from the public URL or as a path, never from the Host header (which is the proxy's business)
        page.continueAfter().ifPresent(last -> answer.link(jakarta.ws.rs.core.UriBuilder
                .fromUri(settings.publicUrl().orElse("") + basePath.substring(0, basePath.length() - 1))
                .replaceQuery(request.getUriInfo().getRequestUri().getRawQuery())
                .replaceQueryParam("cont", ContinuationToken.of(last)).build(), "next"));
        return answer.build();
    }

    private static int limitOf(String limit) {
        if (limit == null || limit.isEmpty()) {
            return ListQuery.DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= ListQuery.MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw Problems.invalidQuery("limit", "must be a whole number from 1 to " + ListQuery.MAX_LIMIT);
    }

    private static NameGlob globOf(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return NameGlob.ANY;
        }
        try {
            return new NameGlob(pattern);
        } catch (IllegalArgumentException malformed) {
            throw Problems.invalidQuery("pattern", "is not a valid glob: " + malformed.getMessage());
        }
    }

    /**
     * Metadata with a strong ETag (the file's id, new with every upload); its conditions are read as the content's
     * are ({@link Preconditions}): 304 for the version the client has, 412 for a failed {@code If-Match} or
     * {@code If-Unmodified-Since}.
     */
    @GET
    @Path("{name}")
    public Response get(@Context ContainerRequestContext request) {
        String name = RawSegments.last(request);
        StoredFile file = api.get().get(AuthenticationFilter.principalOf(request), area, name)
                .orElseThrow(() -> Problems.fileNotFound(name));
        EntityTag etag = etagOf(file);
        return switch (Preconditions.evaluate(request, file, java.time.Instant.now())) {
            case PROCEED -> Response.ok(FileJson.of(file)).tag(etag).build();
            case NOT_MODIFIED -> Response.notModified(etag).build();
            case FAILED -> throw Problems.preconditionFailed(name);
        };
    }

    /**
     * The stored bytes, whole or one range (RFC 9110 §14). Metadata, validators and bytes are of one version, read
     * together from storage; conditions are checked against that version.
     */
    @GET
    @Path("{name}/content")
    @Produces(MediaType.WILDCARD)
    public Response content(@Context ContainerRequestContext request, @Context CloseableService atRequestEnd) {
        String name = RawSegments.fromEnd(request, 1);
        Principal principal = AuthenticationFilter.principalOf(request);
        Optional<ReadFile.DirectRead> direct = api.read().direct(principal, area, name, ContentAnswer::storageHeaders);
        if (direct.isPresent()) {
            return ContentAnswer.redirect(direct.get(), request);
        }
        return ContentAnswer.get(name, request,
                new ContentAnswer.Transfer(() -> transferSlots.takeForDownload(area.organization()), atRequestEnd),
                new ContentAnswer.Source(() -> api.get().get(principal, area, name),
                        range -> api.read().open(principal, area, name, range)),
                () -> Problems.fileNotFound(name));
    }

    /** What GET of the content would answer, without the bytes and without reading them from storage. */
    @HEAD
    @Path("{name}/content")
    @Produces(MediaType.WILDCARD)
    public Response contentHead(@Context ContainerRequestContext request) {
        String name = RawSegments.fromEnd(request, 1);
        StoredFile file = api.get().get(AuthenticationFilter.principalOf(request), area, name)
                .orElseThrow(() -> Problems.fileNotFound(name));
        return ContentAnswer.head(file, request);
    }

    /**
     * A signed link reading the file's current version without credentials, for {@code expiresInSeconds} (a JSON
     * body; without one, an hour or the maximum lifetime when that is shorter). The URL ends with the file name, for
     * readers that guess formats from it.
     */
    @POST
    @Path("{name}/links")
    public Response share(@Context ContainerRequestContext request) {
        String name = RawSegments.fromEnd(request, 1);
        if (api.links() == null) {
            throw Problems.http(404, "Not Found");
        }
        Duration lifetime = LinkRequest.lifetimeOf(LinkRequest.smallBody(request.getEntityStream()),
                api.links().defaultLifetime());
        ShareOutcome.Shared shared = api.links().share(AuthenticationFilter.principalOf(request), area, name, lifetime)
                .fold(done -> done,
                        notFound -> { throw Problems.fileNotFound(name); },
                        range -> { throw Problems.invalidLifetime("expiresInSeconds must be 1 to "
                                + range.maximum().toSeconds() + " (FILES_LINK_MAX_LIFETIME_SECONDS); got "
                                + range.asked().toSeconds()); });
        String base = settings.publicBase(request.getUriInfo());
        URI url = URI.create(base + "/v1/links/" + shared.token() + "/" + encodeSegment(shared.file().name()));
        return Response.created(url)
                .entity(new LinkRequest.LinkJson(url.toString(), shared.expiresAt().toString(), FileJson.of(shared.file())))
                .build();
    }

    /**
     * Deletes. With conditions ({@code If-Match}, {@code If-None-Match}, {@code If-Unmodified-Since}, RFC 9110 §13.1),
     * they are checked against the current version and only that version is deleted, atomically in storage: a client
     * never deletes a file that was replaced since it looked. 412 when a condition fails, or when the version they
     * were checked on was replaced or deleted meanwhile.
     */
    @DELETE
    @Path("{name}")
    public Response delete(@Context ContainerRequestContext request) {
        String name = RawSegments.last(request);
        Principal principal = AuthenticationFilter.principalOf(request);
        if (!Preconditions.present(request)) {
            return api.delete().delete(principal, area, name).fold(deleted -> Response.noContent().build(),
                    notFound -> { throw Problems.fileNotFound(name); });
        }
        Optional<StoredFile> current = api.get().get(principal, area, name);
        if (Preconditions.evaluate(request, current.orElse(null), java.time.Instant.now())
                != Preconditions.Verdict.PROCEED) {
            throw Problems.preconditionFailed(name);
        }
        if (current.isEmpty()) {
            throw Problems.fileNotFound(name); // e.g. If-None-Match: * or If-Unmodified-Since on no file
        }
        return api.delete().delete(principal, area, name, current.get().id()).fold(
                deleted -> Response.noContent().build(),
                changed -> { throw Problems.preconditionFailed(name); });
    }

    static EntityTag etagOf(StoredFile file) {
        return ContentAnswer.etagOf(file);
    }

    /** RFC 3986 path segment: everything but unreserved characters percent-encoded, so any name round-trips. */
    public static String encodeSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
