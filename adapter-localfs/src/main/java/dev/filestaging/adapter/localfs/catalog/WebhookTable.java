package dev.filestaging.adapter.localfs.catalog;

import dev.filestaging.ports.NameGlob;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.events.Change;
import dev.filestaging.ports.events.Webhook;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code webhooks} rows: the registered endpoints, and the number of each one's latest attempt. */
final class WebhookTable {
    private WebhookTable() {}

    private static final String COLUMNS =
            "id, organization, project, url, types, names, secrets, created, created_nanos, disabled";
    /** Oldest first, then by id: SQLite compares text bytewise, which for an id's ASCII is Java's order. */
    private static final String AGE = " ORDER BY created, created_nanos, id";

    static final String INSERT = "INSERT INTO webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING";
    static final String BY_ID = "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?";
    static final String OF_ORGANIZATION = "SELECT " + COLUMNS + " FROM webhooks WHERE organization = ?" + AGE;
    static final String ENABLED = "SELECT " + COLUMNS + " FROM webhooks WHERE disabled IS NULL" + AGE;
    static final String EXISTS = "SELECT 1 FROM webhooks WHERE id = ?";
    static final String IS_ENABLED = EXISTS + " AND disabled IS NULL";
    static final String DELETE = "DELETE FROM webhooks WHERE id = ?";
    static final String DISABLE = "UPDATE webhooks SET disabled = ? WHERE id = ?";
    static final String SECRETS = "UPDATE webhooks SET secrets = ? WHERE id = ?";
    static final String ENABLE = "UPDATE webhooks SET disabled = NULL WHERE id = ?";
    static final String NEXT_ATTEMPT =
            "UPDATE webhooks SET last_attempt = last_attempt + 1 WHERE id = ? RETURNING last_attempt";

    /** @return false, and nothing changed, when the id is registered already */
    static boolean insert(Connection connection, Webhook webhook) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, webhook.id());
            insert.setString(2, webhook.organization().value());
            insert.setString(3, webhook.project().map(ProjectId::value).orElse(null));
            insert.setString(4, webhook.url().toString());
            insert.setString(5, types(webhook.types()));
            insert.setString(6, webhook.names().pattern());
            insert.setString(7, secrets(webhook.secrets()));
            insert.setLong(8, webhook.created().getEpochSecond());
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

    static boolean exists(Connection connection, String id) throws SQLException {
        return any(connection, EXISTS, id);
    }

    static boolean isEnabled(Connection connection, String id) throws SQLException {
        return any(connection, IS_ENABLED, id);
    }

    private static boolean any(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Removes the endpoint; its progress and attempts go with it (ON DELETE CASCADE). */
    static boolean delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        }
    }

    static boolean enable(Connection connection, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(ENABLE)) {
            update.setString(1, id);
            return update.executeUpdate() == 1;
        }
    }

    static boolean replaceSecrets(Connection connection, String id, List<String> secrets) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SECRETS)) {
            update.setString(1, secrets(secrets));
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

    /** The number of the endpoint's next attempt, counted in its row (inside the write transaction that records it). */
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

    private static List<Webhook> all(PreparedStatement select) throws SQLException {
        List<Webhook> webhooks = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String project = row.getString("project");
                webhooks.add(new Webhook(row.getString("id"), new OrganizationId(row.getString("organization")),
                        Optional.ofNullable(project).map(ProjectId::new), URI.create(row.getString("url")),
                        types(row.getString("types")), new NameGlob(row.getString("names")),
                        secrets(row.getString("secrets")), Columns.instant(row, "created", "created_nanos"),
                        Optional.ofNullable(row.getString("disabled"))));
            }
        }
        return webhooks;
    }

    /** The kinds' names, sorted, comma-separated; empty for all kinds. */
    static String types(Set<Change.Kind> types) {
        return types.stream().map(Change.Kind::name).sorted().collect(Collectors.joining(","));
    }

    static Set<Change.Kind> types(String column) throws SQLException {
        Set<Change.Kind> types = EnumSet.noneOf(Change.Kind.class);
        for (String name : column.isEmpty() ? new String[0] : column.split(",")) {
            try {
                types.add(Change.Kind.valueOf(name));
            } catch (IllegalArgumentException unknown) {
                throw new SQLException("unknown event type in the catalog's webhooks: " + name, unknown);
            }
        }
        return types;
    }

    /**
     * Each secret as its length, {@code ':'} and itself, one after the other: a secret may hold any character, so no
     * separator is safe.
     */
    static String secrets(List<String> secrets) {
        StringBuilder column = new StringBuilder();
        secrets.forEach(secret -> column.append(secret.length()).append(':').append(secret));
        return column.toString();
    }

    static List<String> secrets(String column) throws SQLException {
        List<String> secrets = new ArrayList<>();
        int at = 0;
        while (at < column.length()) {
            int colon = column.indexOf(':', at);
            try {
                int end = colon + 1 + Integer.parseInt(column.substring(at, colon));
                secrets.add(column.substring(colon + 1, end));
                at = end;
            } catch (RuntimeException malformed) {
                throw new SQLException("a webhook's secrets in the catalog are malformed", malformed);
            }
        }
        return secrets;
    }
}
