package dev.filestaging.ports.in;

/**
 * A token request as the endpoint received it, unvalidated: any field may be null.
 *
 * @param realm the organization in the URL
 */
public record TokenRequest(String realm, String grantType, String clientId, String clientSecret) {
    @Override
    public String toString() {
        return "TokenRequest[realm=" + realm + ", grantType=" + grantType + ", clientId=" + clientId
                + ", clientSecret=***]";
    }
}
