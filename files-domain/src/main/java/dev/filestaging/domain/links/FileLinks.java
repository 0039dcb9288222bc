package dev.filestaging.domain.links;

import dev.filestaging.domain.storage.StagingStore;
import dev.filestaging.domain.upload.AccessPolicy;
import dev.filestaging.domain.upload.FileNameRules;
import dev.filestaging.ports.ByteRange;
import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.OrganizationId;
import dev.filestaging.ports.Principal;
import dev.filestaging.ports.ProjectId;
import dev.filestaging.ports.StagingArea;
import dev.filestaging.ports.StoredContent;
import dev.filestaging.ports.StoredFile;
import dev.filestaging.ports.in.LinkCheck;
import dev.filestaging.ports.in.ShareFile;
import dev.filestaging.ports.in.ShareOutcome;
import dev.filestaging.ports.out.SmallRecordStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links: a token carrying the file's area, name, version and expiry, with an HMAC-SHA256 over them by a key
 * kept in storage ({@link LinkKeys}). Nothing is stored per link, so links cost nothing until used and cannot be
 * revoked one by one: a link dies with its file version (a delete or a new upload of the name) or at its expiry.
 */
public final class FileLinks implements ShareFile {
    private static final String VERSION = "fl1";
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final StagingStore store;
    private final LinkKeys keys;
    private final Clock clock;
    private final Duration maximumLifetime;
    private final FileNameRules names = new FileNameRules();
    private final AccessPolicy access = new AccessPolicy();

    public FileLinks(StagingStore store, SmallRecordStore records, Clock clock, Duration maximumLifetime) {
        this.store = store;
        this.keys = new LinkKeys(records, clock);
        this.clock = clock;
        this.maximumLifetime = maximumLifetime;
    }

    @Override
    public ShareOutcome share(Principal principal, StagingArea area, String name, Duration lifetime) {
        access.requireReading(principal, area);
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(maximumLifetime) > 0) {
            return new ShareOutcome.LifetimeOutOfRange(lifetime, maximumLifetime);
        }
        Optional<StoredFile> file = names.keyIn(area, name).flatMap(store::find);
        if (file.isEmpty()) {
            return new ShareOutcome.NotFound(name);
        }
        Instant expiresAt = clock.instant().plus(lifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map.Entry<String, byte[]> key = keys.signing();
        String payload = String.join("\n", key.getKey(), area.organization().value(), area.project().value(),
                file.get().name(), file.get().id().toString(), Long.toString(expiresAt.getEpochSecond()));
        String encoded = BASE64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String token = VERSION + "." + encoded + "." + BASE64.encodeToString(mac(key.getValue(), encoded));
        return new ShareOutcome.Shared(token, expiresAt, file.get());
    }

    /**
     * Ends every signed link made so far, on every instance sharing {@code records} (within 30 s): their keys are
     * revoked and a new one signs from now on. Returns the new key's id.
     */
    public static String rotateKeys(SmallRecordStore records) {
        return LinkKeys.rotate(records);
    }

    @Override
    public Duration maximumLifetime() {
        return maximumLifetime;
    }

    @Override
    public Duration defaultLifetime() {
        return maximumLifetime.compareTo(DEFAULT_LIFETIME) < 0 ? maximumLifetime : DEFAULT_LIFETIME;
    }

    @Override
    public LinkCheck check(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return new LinkCheck.Invalid("this is not a link of this service");
        }
        String[] fields;
        byte[] signature;
        try {
            fields = new String(canonical(parts[1]), StandardCharsets.UTF_8).split("\n", -1);
            signature = canonical(parts[2]);
        } catch (IllegalArgumentException malformed) {
            return new LinkCheck.Invalid("the link is damaged (was it cut or altered?)");
        }
        if (fields.length != 6) {
            return new LinkCheck.Invalid("the link is damaged (was it cut or altered?)");
        }
        Optional<byte[]> secret = keys.secret(fields[0]);
        if (secret.isEmpty() || !MessageDigest.isEqual(mac(secret.get(), parts[1]), signature)) {
            return new LinkCheck.Invalid("the link's signature does not match: it was altered, or made by another"
                    + " service");
        }
        // Signed by us, so the fields are what share() wrote.
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[5]));
        if (!clock.instant().isBefore(expiresAt)) {
            return new LinkCheck.Expired(expiresAt);
        }
        FileKey key = new FileKey(new StagingArea(new OrganizationId(fields[1]), new ProjectId(fields[2])), fields[3]);
        return new LinkCheck.Valid(key, UUID.fromString(fields[4]), expiresAt);
    }

    @Override
    public Optional<StoredContent> open(LinkCheck.Valid link, ByteRange range) {
        Optional<StoredContent> opened = store.open(link.key(), range);
        if (opened.isPresent() && !opened.get().file().id().equals(link.fileId())) {
            opened.get().close();
            return Optional.empty();
        }
        return opened;
    }

    @Override
    public Optional<StoredFile> find(LinkCheck.Valid link) {
        return store.find(link.key()).filter(file -> file.id().equals(link.fileId()));
    }

    /**
     * Decodes base64url as {@code share} writes it, and only so: the decoder also takes padding and ignores the unused
     * low bits of the last character, which would make one link valid under several URLs (a cache or an audit keyed
     * by URL would see different links).
     *
     * @throws IllegalArgumentException when {@code text} is not the canonical encoding of what it decodes to
     */
    private static byte[] canonical(String text) {
        byte[] decoded = Base64.getUrlDecoder().decode(text);
        if (!BASE64.encodeToString(decoded).equals(text)) {
            throw new IllegalArgumentException("not canonical base64url");
        }
        return decoded;
    }

    private static byte[] mac(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
