package dev.filestaging.ports.in;

/**
 * A token request as the endpoint received it, unvalidated: any field but the source may be null.
 *
 * @param realm  the organization in the URL
 * @param source who is asking, as the endpoint can tell (the client's network address, or its network): failed
 *               attempts are counted per source, so a source guessing secrets is slowed down without locking out
 *               the client whose id it uses (client ids are no secret: every token names its client in {@code azp})
 */
public record TokenRequest(String realm, String grantType, String clientId, String clientSecret, String source) {
    public TokenRequest {
        java.util.Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return "TokenRequest[realm=" + realm + ", grantType=" + grantType + ", clientId=" + clientId
                + ", clientSecret=***, source=" + source + "]";
    }
}
