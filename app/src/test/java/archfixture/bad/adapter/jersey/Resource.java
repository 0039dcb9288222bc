package archfixture.bad.adapter.jersey;

/** Violates: the HTTP adapter knows the domain. */
public class Resource {
    public Object service() {
        return new archfixture.bad.domain.Service();
    }
}
