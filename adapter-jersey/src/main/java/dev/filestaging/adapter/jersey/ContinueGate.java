package dev.filestaging.adapter.jersey;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Sits in front of Jersey to handle {@code Expect: 100-continue} the way uploads need: a declared length over the
 * limit is refused at once, and otherwise the {@code 100 Continue} is held back until the resource starts reading
 * the body, after authentication and every check that needs no body. A refused client never sends its gigabytes.
 */
final class ContinueGate extends HttpHandler {
    private static final String CONTINUATION = "dev.filestaging.continuation";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpHandler jersey;
    private final long maxUploadBytes;

    ContinueGate(HttpHandler jersey, long maxUploadBytes) {
        this.jersey = jersey;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** What to run before reading the body of {@code request}: sends its pending 100 Continue, if any. */
    static Runnable continuationOf(ContainerRequestContext request) {
        return request.getProperty(CONTINUATION) instanceof Runnable continuation ? continuation : () -> { };
    }

    @Override
    protected boolean sendAcknowledgment(Request request, Response response) throws IOException {
        if (!"100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            return super.sendAcknowledgment(request, response);
        }
        if (request.getContentLengthLong() > maxUploadBytes) {
            Problem problem = Problems.uploadTooLarge(maxUploadBytes).problem();
            response.setStatus(problem.status());
            response.setContentType(Problem.MEDIA_TYPE);
            response.setHeader("Connection", "close");
            byte[] body = JSON.writeValueAsBytes(problem);
            response.setContentLength(body.length);
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
            return false;
        }
        request.setAttribute(CONTINUATION, (Runnable) () -> {
            try {
                response.setStatus(org.glassfish.grizzly.http.util.HttpStatus.CONINTUE_100);
                response.sendAcknowledgement();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return true;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        jersey.service(request, response);
    }

    @Override
    public void start() {
        jersey.start();
    }

    @Override
    public void destroy() {
        jersey.destroy();
    }
}
