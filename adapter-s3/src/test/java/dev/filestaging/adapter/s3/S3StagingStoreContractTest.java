package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.contract.StagingStoreContractTest;
import dev.filestaging.ports.out.StagingStore;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The shared storage contract, unchanged, against a real S3 server over HTTP; each test gets a bucket of its own. */
class S3StagingStoreContractTest extends StagingStoreContractTest {

    @RegisterExtension
    static final S3TestServerExtension S3 = new S3TestServerExtension();
    private final S3TestServer s3 = S3.server();
    private String bucket;

    @Override
    protected StagingStore newStore() {
        bucket = S3.newBucket("contract");
        return S3StagingStore.open(S3TestSettings.forBucket(s3, bucket));
    }

    @Override
    protected StagingStore reopen(StagingStore current) throws Exception {
        ((S3StagingStore) current).close();
        return S3StagingStore.open(S3TestSettings.forBucket(s3, bucket));
    }

    /** Looks through the raw client: no open multipart upload, and no content object that no name record points to. */
    @Override
    protected void assertNothingPendingLeftBehind() {
        assertThat(s3.openMultipartUploads(bucket)).isEmpty();
        BucketLayout layout = new BucketLayout(S3TestSettings.PREFIX);
        Set<String> content = s3.objects(bucket, layout.areas()).stream().map(S3Object::key)
                .filter(layout::isContent).collect(Collectors.toSet());
        Set<String> referenced = ((S3StagingStore) store).records()
                .resolve(s3.objects(bucket, layout.areas()).stream().filter(o -> o.key().contains("/names/")).toList())
                .stream().map(NameRecord::contentKey).collect(Collectors.toSet());
        assertThat(content).isEqualTo(referenced);
    }
}
