package dev.filestaging.ports.out;

import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An API key as stored: never the key itself, only its hash.
 *
 * @param keyHash          lower-case hex SHA-256 of the key's UTF-8 bytes
 * @param serviceAccountId the identity the key acts as; also the key's id, shown by the tools, never secret
 * @param revoked          a revoked key authenticates nobody; its record stays, so its uploads stay attributable
 */
public record ApiKeyRecord(
        String keyHash, String serviceAccountId, OrganizationId organization, Set<Role> roles, Instant createdOn,
        boolean revoked) {

    /** A key in force. */
    public ApiKeyRecord(String keyHash, String serviceAccountId, OrganizationId organization, Set<Role> roles,
                        Instant createdOn) {
        this(keyHash, serviceAccountId, organization, roles, createdOn, false);
    }

    /** The same key, revoked. */
    public ApiKeyRecord revoke() {
        return new ApiKeyRecord(keyHash, serviceAccountId, organization, roles, createdOn, true);
    }

    public ApiKeyRecord {
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(serviceAccountId, "serviceAccountId");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(createdOn, "createdOn");
        roles = Set.copyOf(roles);
        if (!keyHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("key hash must be 64 lower-case hex digits");
        }
    }

    /**
     * The record without its hash, as one line: {@code organization|serviceAccount|roles|createdOn}, and
     * {@code |revoked} for a revoked key (so lines written before revocation existed still read).
     */
    public String toLine() {
        return String.join("|", organization.value(), serviceAccountId,
                Role.joinWireNames(roles), createdOn.toString()) + (revoked ? "|revoked" : "");
    }

    /**
     * Reads a line written by {@link #toLine}. Unknown roles are dropped, so a key never gains a role by a typo.
     *
     * @throws IllegalArgumentException the line is not such a record
     */
    public static ApiKeyRecord fromLine(String keyHash, String line) {
        String[] fields = line.split("\\|", -1);
        if (fields.length != 4 && !(fields.length == 5 && fields[4].equals("revoked"))) {
            throw new IllegalArgumentException("corrupt API key entry for " + keyHash.substring(0, 8) + "...");
        }
        return new ApiKeyRecord(keyHash, fields[1], new OrganizationId(fields[0]), Role.fromWireNames(fields[2]),
                Instant.parse(fields[3]), fields.length == 5);
    }
}
