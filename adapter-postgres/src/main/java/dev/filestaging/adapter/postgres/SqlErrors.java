package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.out.StorageException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Translates the database's errors into the port's, once. */
final class SqlErrors {
    private SqlErrors() {}

    static StorageException translate(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || unreachable(state)) {
            return new StorageException.StorageUnavailableException(
                    "the catalog's database cannot be reached (" + what + "): " + e.getMessage(), e);
        }
        if (state.equals("53100")) { // disk_full
            return new StorageException.StorageFullException(
                    "the catalog's database has no room left (" + what + "): " + e.getMessage(), e);
        }
        return new StorageException("the catalog's database failed " + what + " (SQL state " + state + "): "
                + e.getMessage(), e);
    }

    /**
     * Connection exceptions (class 08), the server shutting down or starting (57P01-57P03), too many connections
     * (53300), a statement cancelled by its timeout (57014), a database that takes no writes now (25006: a standby,
     * or one set read-only during a fail-over): the same call may succeed later.
     */
    private static boolean unreachable(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300") || state.equals("57014") || state.equals("25006");
    }
}
