package io.github.imapbackup.examples.cli;

import java.util.Arrays;
import java.util.Objects;

/** A secret that logs in: a password or an OAuth2 access token. {@link #toString()} never shows it. */
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
}
