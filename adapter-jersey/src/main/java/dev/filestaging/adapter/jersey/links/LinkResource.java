package dev.filestaging.adapter.jersey.links;

import dev.filestaging.adapter.jersey.files.ContentAnswer;
import dev.filestaging.adapter.jersey.http.TransferSlots;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.LinkCheck;
import dev.filestaging.ports.in.ShareFile;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.CloseableService;

/**
 * {@code /v1/links/{token}/{name}}: one file version through a signed link, without credentials, with the same
 * ranges and conditions as the content route. The trailing name is for readers that guess the format from the URL
 * (ClickHouse's {@code url()}, pandas); the token decides what is read, and the name must be the one it signs (404
 * otherwise), so a link cannot be passed off as a link to another file ({@code /v1/links/{token}/payroll.csv}).
 */
public final class LinkResource {
    private final ShareFile links;
    private final TransferSlots transferSlots;
    private final LinkCheck.Valid link;

    /** @param name the last segment of the address, decoded */
    public LinkResource(ShareFile links, String token, String name, TransferSlots transferSlots) {
        this.links = links;
        this.transferSlots = transferSlots;
        this.link = links.check(token).fold(valid -> valid,
                invalid -> { throw Problems.invalidLink(invalid.reason()); },
                expired -> { throw Problems.linkExpired(expired.expiredAt()); });
        if (!link.key().name().equals(name)) {
            throw Problems.http(404, "Not Found");
        }
    }

    @GET
    @Produces(MediaType.WILDCARD)
    public Response content(@Context ContainerRequestContext request, @Context CloseableService atRequestEnd) {
        String name = link.key().name();
        return ContentAnswer.get(name, request,
                new ContentAnswer.Transfer(() -> transferSlots.takeForLink(link.key().area().organization()),
                        atRequestEnd),
                new ContentAnswer.Source(() -> links.find(link), range -> links.open(link, range)),
                () -> Problems.linkGone(name));
    }

    @HEAD
    @Produces(MediaType.WILDCARD)
    public Response head(@Context ContainerRequestContext request) {
        StoredFile file = links.find(link).orElseThrow(() -> Problems.linkGone(link.key().name()));
        return ContentAnswer.head(file, request);
    }
}
