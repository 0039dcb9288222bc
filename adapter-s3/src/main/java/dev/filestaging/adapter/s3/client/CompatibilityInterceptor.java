package dev.filestaging.adapter.s3.client;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;

/**
 * Keeps requests within what S3-compatible stores understand. The SDK's multipart client sends the object's total
 * size on {@code CompleteMultipartUpload} ({@code x-amz-mp-object-size}), an optional check that AWS added in 2024;
 * stores that refuse unknown {@code x-amz-} headers (S3Proxy answers 501) then fail every multipart upload. The parts'
 * own checksums still protect the content.
 */
final class CompatibilityInterceptor implements ExecutionInterceptor {

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof CompleteMultipartUploadRequest complete && complete.mpuObjectSize() != null) {
            return complete.toBuilder().mpuObjectSize(null).build();
        }
        return context.request();
    }
}
