package dev.filestaging.adapter.s3.client;

import java.util.Locale;

/**
 * When the AWS SDK adds optional checksums to requests and checks them on answers. Since 2.30 the SDK sends every
 * upload with a streaming trailer checksum ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}) by default, which AWS accepts
 * but some S3-compatible stores refuse: Ceph RGW 16 answers {@code 400 XAmzContentSHA256Mismatch}.
 */
public enum ChecksumMode {
    /** {@link #WHEN_SUPPORTED}, unless the start-up check finds the store refuses them: then {@link #WHEN_REQUIRED}. */
    AUTO,
    /** Only where an operation requires one; understood by every store. */
    WHEN_REQUIRED,
    /** Wherever the SDK can: CRC32 on every request and part, checked on answers. */
    WHEN_SUPPORTED;

    /** @throws IllegalArgumentException for anything but auto, when_required, when_supported */
    public static ChecksumMode fromWireName(String value) {
        return ChecksumMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
