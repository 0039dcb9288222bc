package dev.filestaging.ports.in;

import dev.filestaging.ports.Role;

/** The principal is authenticated but lacks the role, or asks for another organization's area. */
public final class AccessDeniedException extends RuntimeException {
    private final Role requiredRole;

    public AccessDeniedException(Role requiredRole, String message) {
        super(message);
        this.requiredRole = requiredRole;
    }

    public Role requiredRole() {
        return requiredRole;
    }
}
