package archfixture.bad.domain;

/** Violates: the domain's dependencies, its hidden clock, and the AWS SDK rule. */
public class Service {
    public Object now() {
        return java.time.Instant.now();
    }

    public Object disk() {
        return new archfixture.bad.adapter.localfs.Disk();
    }

    public Object sdk() {
        return new software.amazon.awssdk.standin.S3StandIn();
    }
}
