package dev.filestaging.ports.in;

import dev.filestaging.ports.SpaceUsage;
import dev.filestaging.ports.StoredFile;
import java.util.List;

/** The files of one staging area, ordered by name, and its space figures. */
public record FileListing(List<StoredFile> files, SpaceUsage space) {
    public FileListing {
        files = List.copyOf(files);
    }
}
