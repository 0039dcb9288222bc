package dev.filestaging.adapter.jersey.auth;

import dev.filestaging.adapter.jersey.http.ClientAddress;
import dev.filestaging.adapter.jersey.http.FilesApi;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.problems.Problems;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.in.IssueToken;
import dev.filestaging.ports.in.TokenOutcome;
import dev.filestaging.ports.in.TokenRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in OAuth 2.0 issuer where Keycloak serves it, so the Polaris documentation's scripts work unchanged:
 * {@code POST /auth/realms/{organization}/protocol/openid-connect/token} (client-credentials grant, client secret in
 * the form or as HTTP Basic), OIDC discovery, and the JWKS. Errors follow RFC 6749 section 5.2.
 */
@Path("auth/realms/{realm}")
public final class OAuthResource {

    private final FilesApi api;

    @Inject
    public OAuthResource(FilesApi api) {
        this.api = api;
    }

    @POST
    @Path("protocol/openid-connect/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("realm") String realm, @Context ContainerRequestContext request,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        IssueToken tokens = issuer(realm);
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            // RFC 6749 §3.2 and §2.3.1: parameters, the secret among them, never in the URL (logs, proxies, history)
            return noStore(error(400, "invalid_request", "the parameters go in the form body, not in the query"))
                    .build();
        }
        Map<String, String> form;
        try {
            form = TokenForm.parse(request.getEntityStream());
        } catch (TokenForm.Malformed malformed) {
            return noStore(error(400, "invalid_request", malformed.getMessage())).build();
        } catch (IOException failure) {
            throw ProblemMapper.bodyFailure(failure); // over 64 KiB: 413; cut off or too slow: 400, 408
        }
        String[] basic = basicClient(authorization);
        if (basic != null && (form.containsKey("client_secret")
                || (form.containsKey("client_id") && !form.get("client_id").equals(basic[0])))) {
            // RFC 6749 §2.3: one way of authenticating per request; a secret in both could pass by either
            return noStore(error(400, "invalid_request", "authenticate the client once: HTTP Basic or the form's"
                    + " client_id and client_secret, not both")).build();
        }
        TokenOutcome outcome = tokens.issue(new TokenRequest(realm, form.get("grant_type"),
                basic != null ? basic[0] : form.get("client_id"), basic != null ? basic[1] : form.get("client_secret"),
                ClientAddress.sourceOf(request)));
        return outcome.fold(new TokenOutcome.Cases<>() {
            @Override
            public Response issued(TokenOutcome.Issued issued) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("access_token", issued.accessToken());
                body.put("token_type", "Bearer");
                body.put("expires_in", issued.expiresInSeconds());
                return noStore(Response.ok(body)).build();
            }

            @Override
            public Response invalidRequest(TokenOutcome.InvalidRequest invalid) {
                return noStore(error(400, "invalid_request", invalid.reason())).build();
            }

            @Override
            public Response invalidClient(TokenOutcome.InvalidClient invalid) {
                Response.ResponseBuilder answer = noStore(error(401, "invalid_client", invalid.reason()));
                // RFC 6749 §5.2: the challenge answers a client that authenticated with the Authorization header. To
                // one that sent its credentials in the form (a browser page), it would open the browser's login box.
                return (basic != null ? answer.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"")
                        : answer).build();
            }

            @Override
            public Response unsupportedGrantType(TokenOutcome.UnsupportedGrantType unsupported) {
                return noStore(error(400, "unsupported_grant_type",
                        "only client_credentials is supported, not '" + unsupported.grantType() + "'")).build();
            }

            @Override
            public Response tooManyAttempts(TokenOutcome.TooManyAttempts tooMany) {
                long seconds = Math.max(1, tooMany.retryAfter().toSeconds());
                return noStore(error(429, "slow_down",
                        "too many failed attempts from this address; retry in " + seconds + " s"))
                        .header("Retry-After", seconds).build();
            }
        });
    }

    @GET
    @Path(".well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> discovery(@PathParam("realm") String realm) {
        String issuer = issuer(realm).issuerOf(realm);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", issuer + "/protocol/openid-connect/token");
        metadata.put("jwks_uri", issuer + "/protocol/openid-connect/certs");
        metadata.put("grant_types_supported", List.of("client_credentials"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic"));
        metadata.put("response_types_supported", List.of("token"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        return metadata;
    }

    @GET
    @Path("protocol/openid-connect/certs")
    @Produces(MediaType.APPLICATION_JSON)
    public String keys(@PathParam("realm") String realm) {
        return issuer(realm).publicKeysJson();
    }

    /** The issuer, for a realm that can be an organization; any other realm does not exist. */
    private IssueToken issuer(String realm) {
        try {
            new OrganizationId(realm);
        } catch (IllegalArgumentException e) {
            throw Problems.notFound("no such realm");
        }
        if (api.tokens() == null) {
            throw Problems.notFound("this server issues no tokens");
        }
        return api.tokens();
    }

    private static Response.ResponseBuilder error(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", description));
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
    }

    /** RFC 6749 2.3.1: {@code Basic base64(urlencode(client_id):urlencode(client_secret))}, or null. */
    private static String[] basicClient(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
