package dev.filestaging.ports.out;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An OAuth client of the built-in issuer as stored: never the secret, only its SHA-256.
 *
 * @param serviceAccountId the token's {@code sub}, recorded as {@code uploadedByUserId}
 */
public record OAuthClientRecord(String clientId, String secretHash, String serviceAccountId,
                                OrganizationId organization, Set<Role> roles, Instant createdOn, boolean revoked) {
    public OAuthClientRecord {
        SmallRecordStore.checkedName(clientId);
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(serviceAccountId, "serviceAccountId");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(createdOn, "createdOn");
        roles = Set.copyOf(roles);
        if (!secretHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("secret hash must be 64 lower-case hex digits");
        }
    }

    public OAuthClientRecord revoke() {
        return new OAuthClientRecord(clientId, secretHash, serviceAccountId, organization, roles, createdOn, true);
    }

    /** {@code organization|serviceAccount|roles|createdOn|secretHash|active or revoked}. */
    public String toLine() {
        return String.join("|", organization.value(), serviceAccountId,
                Role.joinWireNames(roles), createdOn.toString(),
                secretHash, revoked ? "revoked" : "active");
    }

    public static OAuthClientRecord fromLine(String clientId, String line) {
        String[] fields = line.strip().split("\\|", -1);
        if (fields.length != 6) {
            throw new IllegalArgumentException("corrupt OAuth client record " + clientId);
        }
        return new OAuthClientRecord(clientId, fields[4], fields[1], new OrganizationId(fields[0]),
                Role.fromWireNames(fields[2]),
                Instant.parse(fields[3]), fields[5].equals("revoked"));
    }
}
