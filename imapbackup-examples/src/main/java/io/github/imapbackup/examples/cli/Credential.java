package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.OAuth2Tokens;
import java.util.Arrays;
import java.util.Objects;

/** A secret that logs in: a password, an OAuth2 access token, or OAuth2 refreshing. {@link #toString()} never shows it. */
sealed interface Credential {

    /** Returns where the secret came from, for messages (never the secret). */
    String origin();

    /**
     * A password.
     *
     * @param secret the password (copied; {@link #secret()} returns a fresh copy each time)
     * @param origin where it came from
     */
    record Password(char[] secret, String origin) implements Credential {

        /** Copies. */
        public Password {
            secret = secret.clone();
            Objects.requireNonNull(origin, "origin");
        }

        @Override
        public char[] secret() {
            return secret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Password p && Arrays.equals(secret, p.secret) && origin.equals(p.origin);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(secret);
        }

        @Override
        public String toString() {
            return "Password[from " + origin + "]";
        }
    }

    /**
     * An OAuth2 access token (XOAUTH2).
     *
     * @param token the token
     * @param origin where it came from
     */
    record OAuth2Token(String token, String origin) implements Credential {

        /** Validates. */
        public OAuth2Token {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(origin, "origin");
        }

        @Override
        public String toString() {
            return "OAuth2Token[from " + origin + "]";
        }
    }

    /**
     * OAuth2 access tokens got from a refresh token at a token endpoint, renewed as they expire (XOAUTH2).
     *
     * @param tokens the tokens
     * @param origin where the refresh token came from
     */
    record OAuth2Refresh(OAuth2Tokens tokens, String origin) implements Credential {

        /** Validates. */
        public OAuth2Refresh {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(origin, "origin");
        }

        @Override
        public String toString() {
            return "OAuth2Refresh[from " + origin + "]";
        }
    }
}
