package dev.filestaging.ports.in;

/** Use case: whether this process can serve its API now (its storage answers), for load balancers and orchestrators. */
public interface CheckReadiness {

    Readiness readiness();

    /** @param storage the storage's own words on how it stands */
    record Readiness(boolean ready, String storage) {}
}
