package archfixture.bad.adapter.localfs;

/** Violates: storage adapters know the domain, another adapter, JAX-RS, Nimbus and app. */
public class Disk {
    public Object domain() {
        return new archfixture.bad.domain.Service();
    }

    public Object other() {
        return new archfixture.bad.adapter.s3.Bucket();
    }

    public Class<?> http() {
        return jakarta.ws.rs.core.Response.class;
    }

    public Class<?> jwt() {
        return com.nimbusds.jwt.JWTClaimsSet.class;
    }

    public Object wiring() {
        return new archfixture.bad.app.Wiring();
    }
}
