package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.StorageException;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Refuses a bucket that cannot keep our promises: one that is unreachable, missing, not ours to write, or that ignores
 * {@code If-None-Match: *} (then two instances could both take one name, and the second upload would silently replace
 * the first). The conditional-write probe writes one small object under {@code probes/} twice and deletes it.
 */
final class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

    /** The store refuses the checksums the SDK sends when it may ({@link ChecksumMode#WHEN_SUPPORTED}). */
    static final class ChecksumsRefused extends StorageException {
        ChecksumsRefused(String message) {
            super(message);
        }
    }

    private final S3Client s3;
    private final S3Settings settings;
    private final BucketLayout layout;

    StartupCheck(S3Client s3, S3Settings settings, BucketLayout layout) {
        this.s3 = s3;
        this.settings = settings;
        this.layout = layout;
    }

    /**
     * Checks the bucket; returns whether it honours {@code If-Match} on deletes, which the service uses only where a
     * store without it still keeps every guarantee (see {@link NameRecords}).
     */
    boolean run() {
        String where = "bucket '" + settings.bucket() + "'" + settings.endpointIfSet().map(e -> " at " + e).orElse("");
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw new StorageException(where + " does not exist; create it first");
            }
            throw S3Errors.translate("checking " + where, e);
        }
        if (!honoursIfNoneMatch(where)) {
            String problem = where + " does not honour conditional writes (If-None-Match: *): instances sharing it"
                    + " could both take one name, and a second upload of a name would replace the first";
            if (settings.requireConditionalWrites()) {
                throw new StorageException(problem + ". Use a store that honours them (AWS S3, MinIO, Ceph RGW"
                        + " 19+, R2...), or allow running without them for a single instance.");
            }
            LOG.warning(problem + ". Running anyway, as configured: run a single instance only.");
        }
        boolean conditionalDeletes = honoursIfMatchOnDelete(where);
        if (!conditionalDeletes) {
            LOG.info(where + " does not honour If-Match on deletes (Ceph RGW 16 ignores it); deletes do without it");
        }
        return conditionalDeletes;
    }

    private boolean honoursIfMatchOnDelete(String where) {
        String probe = layout.probe();
        try {
            String etag = s3.putObject(b -> b.bucket(settings.bucket()).key(probe), RequestBody.fromString("1")).eTag();
            // a wrong ETag must be refused (a store that ignores the header deletes), the right one accepted
            try {
                s3.deleteObject(b -> b.bucket(settings.bucket()).key(probe).ifMatch("\"0123456789abcdef\""));
                return false;
            } catch (SdkException e) {
                if (!S3Errors.isPreconditionFailed(e)) {
                    throw e;
                }
            }
            try {
                s3.deleteObject(b -> b.bucket(settings.bucket()).key(probe).ifMatch(etag));
                return true;
            } catch (SdkException e) {
                if (S3Errors.isPreconditionFailed(e)) {
                    s3.deleteObject(b -> b.bucket(settings.bucket()).key(probe));
                    return false;
                }
                throw e;
            }
        } catch (SdkException e) {
            throw S3Errors.translate("probing conditional deletes in " + where, e);
        }
    }

    private boolean honoursIfNoneMatch(String where) {
        String probe = layout.probe();
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(probe).ifNoneMatch("*"), RequestBody.fromString("1"));
            try {
                s3.putObject(b -> b.bucket(settings.bucket()).key(probe).ifNoneMatch("*"), RequestBody.fromString("2"));
                return false;
            } catch (SdkException e) {
                if (S3Errors.isPreconditionFailed(e)) {
                    return true;
                }
                throw e;
            }
        } catch (SdkException e) {
            if (S3Errors.isChecksumRefused(e)) {
                throw new ChecksumsRefused("writing to " + where + " failed: the store refuses the AWS SDK's streaming"
                        + " checksums (400 XAmzContentSHA256Mismatch, as Ceph RGW 16 does); set the checksum mode to"
                        + " when_required or auto (FILES_S3_CHECKSUMS)");
            }
            throw S3Errors.translate("writing to " + where, e);
        } finally {
            try {
                s3.deleteObject(b -> b.bucket(settings.bucket()).key(probe));
            } catch (SdkException e) {
                LOG.warning("could not delete the probe object " + probe + ": " + e.getMessage());
            }
        }
    }
}
