package archfixture.bad.adapter.s3;

/** Violates: the S3 adapter reaching into the catalog adapter. */
public class Bucket {
    public Object catalog() {
        return new archfixture.bad.adapter.postgres.Catalog();
    }
}
