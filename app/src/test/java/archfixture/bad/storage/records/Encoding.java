package archfixture.bad.storage.records;

/** Violates: storage encodings depend on the ports only (it reaches into an adapter). */
public class Encoding {
    public Object bucket() {
        return new archfixture.bad.adapter.s3.Bucket();
    }
}
