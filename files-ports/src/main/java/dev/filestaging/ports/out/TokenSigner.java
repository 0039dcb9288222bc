package dev.filestaging.ports.out;

/**
 * Signs the built-in issuer's access tokens with an asymmetric key of its own, and publishes the public keys (JWKS)
 * that verify them. Keys survive restarts and are shared by all processes on the same storage; after a rotation the
 * previous keys stay published so tokens signed with them remain valid until they expire.
 */
public interface TokenSigner {

    /** A signed JWT carrying the claims. */
    String sign(AccessTokenClaims claims);

    /** The public keys as a JSON Web Key Set document ({@code {"keys":[...]}}), never a private part. */
    String publicKeysJson();
}
