package dev.filestaging.ports.in;

import dev.filestaging.ports.Principal;
import java.util.function.Function;

/** Who the caller is, or why we do not know. */
public sealed interface AuthenticationOutcome {

    /** Exhaustive handling: a new outcome is a compile error where outcomes are handled. */
    <R> R fold(Function<Authenticated, R> authenticated, Function<NotAuthenticated, R> notAuthenticated,
               Function<InvalidToken, R> invalidToken, Function<NotRecognised, R> notRecognised);

    record Authenticated(Principal principal) implements AuthenticationOutcome {
        @Override
        public <R> R fold(Function<Authenticated, R> authenticated, Function<NotAuthenticated, R> notAuthenticated,
                          Function<InvalidToken, R> invalidToken, Function<NotRecognised, R> notRecognised) {
            return authenticated.apply(this);
        }
    }

    /** {@code reason} is safe to show to the caller: it never contains the credentials. */
    record NotAuthenticated(String reason) implements AuthenticationOutcome {
        @Override
        public <R> R fold(Function<Authenticated, R> authenticated, Function<NotAuthenticated, R> notAuthenticated,
                          Function<InvalidToken, R> invalidToken, Function<NotRecognised, R> notRecognised) {
            return notAuthenticated.apply(this);
        }
    }

    /**
     * A bearer token (a JWT) that is not accepted: expired, forged, for another audience... Answered with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}, so OAuth clients know to fetch a new token.
     * {@code reason} is safe to show: it never contains the token.
     */
    record InvalidToken(String reason) implements AuthenticationOutcome {
        @Override
        public <R> R fold(Function<Authenticated, R> authenticated, Function<NotAuthenticated, R> notAuthenticated,
                          Function<InvalidToken, R> invalidToken, Function<NotRecognised, R> notRecognised) {
            return invalidToken.apply(this);
        }
    }

    /** Credentials of a kind this authenticator does not handle; the next one decides. */
    record NotRecognised() implements AuthenticationOutcome {
        @Override
        public <R> R fold(Function<Authenticated, R> authenticated, Function<NotAuthenticated, R> notAuthenticated,
                          Function<InvalidToken, R> invalidToken, Function<NotRecognised, R> notRecognised) {
            return notRecognised.apply(this);
        }
    }
}
