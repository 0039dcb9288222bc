package dev.filestaging.domain.quota;

import dev.filestaging.ports.OrganizationId;
import java.util.Map;

/**
 * How many bytes each staging area may hold: one default, overridden per organization. Every project of an
 * organization gets the organization's figure.
 */
public record Quotas(long defaultBytes, Map<OrganizationId, Long> perOrganization) {

    /** The Polaris default: one terabyte (10^12 bytes). */
    public static final long POLARIS_DEFAULT_BYTES = 1_000_000_000_000L;

    public Quotas {
        if (defaultBytes < 0) {
            throw new IllegalArgumentException("quota must not be negative");
        }
        perOrganization = Map.copyOf(perOrganization);
        perOrganization.values().forEach(bytes -> {
            if (bytes < 0) {
                throw new IllegalArgumentException("quota must not be negative");
            }
        });
    }

    public static Quotas uniform(long bytes) {
        return new Quotas(bytes, Map.of());
    }

    public long allocatedBytes(OrganizationId organization) {
        return perOrganization.getOrDefault(organization, defaultBytes);
    }
}
