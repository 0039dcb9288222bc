package archfixture.bad.adapter.jersey;

/** Violates: the HTTP adapter knows the domain, and how storage encodes metadata. */
public class Resource {
    public Object service() {
        return new archfixture.bad.domain.Service();
    }

    public Object encoding() {
        return new archfixture.bad.storage.records.Encoding();
    }
}
