package archfixture.bad.adapter.oidc;

/** Violates: the token adapter knows the domain. */
public class Tokens {
    public Object domain() {
        return new archfixture.bad.domain.Service();
    }
}
