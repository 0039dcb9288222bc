package software.amazon.awssdk.standin;

/** Stands in for an AWS SDK type, so the architecture test can prove its rule without the SDK on the classpath. */
public final class S3StandIn {}
