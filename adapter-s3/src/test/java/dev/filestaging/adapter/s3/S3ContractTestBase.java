package dev.filestaging.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.adapter.s3.testing.S3TestServer;
import dev.filestaging.adapter.s3.testing.S3TestServerExtension;
import dev.filestaging.ports.contract.StagingStoreContractTest;
import dev.filestaging.ports.out.StagingStore;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The shared storage contract, unchanged, against a real S3 server over HTTP; each test gets a bucket of its own. */
abstract class S3ContractTestBase extends StagingStoreContractTest {

    private final S3TestServer s3 = server().server();
    private String bucket;

    /** The server the contract runs against, one per test class. */
    protected abstract S3TestServerExtension server();

    @Override
    protected StagingStore newStore() {
        bucket = server().newBucket("contract");
        return S3StagingStore.open(settings());
    }

    /** With presigned direct reads on, so the contract covers that capability too. */
    private S3Settings settings() {
        return S3TestSettings.forBucket(s3, bucket).withRedirectDownloads(true);
    }

    @Override
    protected boolean offersDirectReads() {
        return true;
    }

    @Override
    protected boolean offersResumableUploads() {
        return true;
    }

    @Override
    protected StagingStore reopen(StagingStore current) throws Exception {
        ((S3StagingStore) current).close();
        return S3StagingStore.open(settings());
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
        var resumable = store.capabilities().resumableUploads().orElseThrow();
        assertThat(s3.objects(bucket, layout.uploads())).as("objects of uploads that ended")
                .allMatch(o -> layout.uploadOf(o.key()).flatMap(resumable::status).isPresent()
                        || o.key().endsWith("/staged") && layout.uploadOf(o.key()).flatMap(resumable::staged).isPresent());
    }
}
