package archfixture.bad.domain;

/** Violates: the domain's dependencies, its hidden clock, the AWS SDK rule, and JDBC outside the catalog adapter. */
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

    public Object jdbc() {
        return new java.sql.Timestamp(0);
    }
}
