package dev.filestaging.adapter.postgres;

import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.Webhook;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code webhooks} rows: the registered endpoints, and the number of each one's latest attempt. */
final class WebhookRows {
    private WebhookRows() {}

    private static final String COLUMNS =
            "id, organization, project, url, types, names, secrets, created, created_nanos, disabled";
    /** Oldest first, then by id as Java compares strings (which no locale's collation does). */
    private static final String AGE = " ORDER BY created, created_nanos, id COLLATE \"C\"";

    static final String INSERT = "INSERT INTO webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING";
    static final String BY_ID = "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?";
    static final String OF_ORGANIZATION = "SELECT " + COLUMNS + " FROM webhooks WHERE organization = ?" + AGE;
    static final String ENABLED = "SELECT " + COLUMNS + " FROM webhooks WHERE disabled IS NULL" + AGE;
    static final String DELETE = "DELETE FROM webhooks WHERE id = ?";
    static final String DISABLE = "UPDATE webhooks SET disabled = ? WHERE id = ?";
    static final String SECRETS = "UPDATE webhooks SET secrets = ? WHERE id = ?";
    static final String ENABLE = "UPDATE webhooks SET disabled = NULL WHERE id = ?";
    /** Serialises the records of one endpoint, so that its attempts are numbered without a gap. */
    static final String LOCK_FOR_RECORD = "SELECT 1 FROM webhooks WHERE id = ? FOR NO KEY UPDATE";
    /** Keeps the endpoint from being removed while its progress is written. */
    static final String LOCK_FOR_REWIND = "SELECT 1 FROM webhooks WHERE id = ? FOR KEY SHARE";
    static final String NEXT_ATTEMPT =
            "UPDATE webhooks SET last_attempt = last_attempt + 1 WHERE id = ? RETURNING last_attempt";

    /** @return false, and nothing changed, when the id is registered already */
    static boolean insert(Connection connection, Webhook webhook) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, webhook.id());
            insert.setString(2, webhook.organization().value());
            insert.setString(3, webhook.project().map(ProjectId::value).orElse(null));
            insert.setString(4, webhook.url().toString());
            insert.setArray(5, connection.createArrayOf("text",
                    webhook.types().stream().map(Change.Kind::name).sorted().toArray()));
            insert.setString(6, webhook.names().pattern());
            insert.setArray(7, connection.createArrayOf("text", webhook.secrets().toArray()));
            insert.setObject(8, Columns.micros(webhook.created()));
            insert.setInt(9, webhook.created().getNano());
            insert.setString(10, webhook.disabled().orElse(null));
            return insert.executeUpdate() == 1;
        }
    }

    static Optional<Webhook> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(BY_ID)) {
            select.setString(1, id);
            List<Webhook> found = all(select);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    static List<Webhook> of(Connection connection, OrganizationId organization) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(OF_ORGANIZATION)) {
            select.setString(1, organization.value());
            return all(select);
        }
    }

    static List<Webhook> enabled(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(ENABLED)) {
            return all(select);
        }
    }

    /** Removes the endpoint; its progress and attempts go with it (ON DELETE CASCADE). */
    static boolean delete(Connection connection, String id) throws SQLException {
        return update(connection, DELETE, id);
    }

    static boolean enable(Connection connection, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(ENABLE)) {
            update.setString(1, id);
            return update.executeUpdate() == 1;
        }
    }

    static boolean replaceSecrets(Connection connection, String id, List<String> secrets) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SECRETS)) {
            update.setArray(1, connection.createArrayOf("text", secrets.toArray()));
            update.setString(2, id);
            return update.executeUpdate() == 1;
        }
    }

    static boolean disable(Connection connection, String id, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(DISABLE)) {
            update.setString(1, reason);
            update.setString(2, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Locks the endpoint's row with {@code lock} ({@link #LOCK_FOR_RECORD}, {@link #LOCK_FOR_REWIND}). */
    static boolean lock(Connection connection, String lock, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(lock)) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The number of the endpoint's next attempt, counted in its row (locked by {@link #LOCK_FOR_RECORD}). */
    static long nextAttempt(Connection connection, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(NEXT_ATTEMPT)) {
            update.setString(1, id);
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("no webhook row " + id);
                }
                return row.getLong(1);
            }
        }
    }

    private static boolean update(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, id);
            return update.executeUpdate() == 1;
        }
    }

    private static List<Webhook> all(PreparedStatement select) throws SQLException {
        List<Webhook> webhooks = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String project = row.getString("project");
                webhooks.add(new Webhook(row.getString("id"), new OrganizationId(row.getString("organization")),
                        Optional.ofNullable(project).map(ProjectId::new), URI.create(row.getString("url")),
                        types(row.getArray("types")), new NameGlob(row.getString("names")),
                        List.of(strings(row.getArray("secrets"))), Columns.instant(row, "created", "created_nanos"),
                        Optional.ofNullable(row.getString("disabled"))));
            }
        }
        return webhooks;
    }

    private static Set<Change.Kind> types(Array column) throws SQLException {
        Set<Change.Kind> types = EnumSet.noneOf(Change.Kind.class);
        for (String name : strings(column)) {
            try {
                types.add(Change.Kind.valueOf(name));
            } catch (IllegalArgumentException unknown) {
                throw new SQLException("unknown event type in the catalog's webhooks: " + name, unknown);
            }
        }
        return types;
    }

    private static String[] strings(Array column) throws SQLException {
        try {
            return (String[]) column.getArray();
        } finally {
            column.free();
        }
    }
}
