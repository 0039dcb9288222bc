package dev.filestaging.ports;

import java.util.Objects;

/** One staging area: the files of one project of one organization. Names are unique within an area. */
public record StagingArea(OrganizationId organization, ProjectId project) {
    public StagingArea {
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(project, "project");
    }

    public static StagingArea defaultProjectOf(OrganizationId organization) {
        return new StagingArea(organization, ProjectId.DEFAULT);
    }

    @Override
    public String toString() {
        return organization + "/" + project;
    }
}
