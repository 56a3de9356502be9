package io.github.imapbackup.imap;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where an account's OAuth 2.0 access tokens come from, for SASL XOAUTH2
 * ({@link ImapSource.Builder#oauth2(OAuth2Tokens)}). Access tokens expire (Google's and
 * Microsoft's after about an hour), so a source asks {@link #accessToken()} for every connection
 * it opens (the first, parallel ones, reconnections), and when the server refuses a token it calls
 * {@link #refresh(String)} once and logs in again with the token returned; a second refusal is the
 * authentication failure ({@link io.github.imapbackup.AuthenticationException}).
 *
 * <pre>{@code
 * OAuth2Tokens tokens = new OAuth2Tokens() {
 *     private String current;
 *
 *     public synchronized String accessToken() throws IOException {
 *         if (current == null) {
 *             current = fetchToken();             // your call to the token endpoint
 *         }
 *         return current;
 *     }
 *
 *     public synchronized String refresh(String rejected) throws IOException {
 *         if (rejected.equals(current)) {         // one request, however many connections ask
 *             current = fetchToken();
 *         }
 *         return current;
 *     }
 * };
 * ImapSource source = ImapSource.builder()
 *         .host("imap.gmail.com").user("alice@gmail.com")
 *         .oauth2(tokens)
 *         .build();
 * }</pre>
 *
 * <p>The module {@code io.github.imapbackup.accounts} has an implementation that refreshes the
 * token at a token endpoint (Google, Microsoft, or any OAuth 2.0 server) and caches it in a file;
 * see {@code docs/CLI.md}, "OAuth2".
 *
 * <p>Implementations must be thread-safe: several connections may ask at once. Tokens and other
 * secrets must never appear in their exceptions' messages, log lines or {@code toString()}.
 */
public interface OAuth2Tokens {

    /**
     * Returns the access token to log in with now: a cached one while it is still valid, else a
     * new one.
     *
     * @return the access token, not blank
     * @throws IOException if no token can be had (the token endpoint cannot be reached, the grant
     *     was revoked, ...), with a message that says why and what to do, and no secret
     */
    String accessToken() throws IOException;

    /**
     * Returns a new access token because the server refused {@code rejected} (it expired before
     * its announced time, or was revoked). When another connection has already replaced
     * {@code rejected}, the newer token is returned without asking for another one, so that
     * connections refused at the same moment cause one refresh, not one each. Returning
     * {@code rejected} itself means that no other token can be had: the login fails at once.
     *
     * @param rejected the token the server refused
     * @return the token to try next, not blank
     * @throws IOException if no token can be had, as {@link #accessToken()}
     */
    String refresh(String rejected) throws IOException;

    /**
     * Adapts a supplier of tokens that cannot be refreshed on demand (a fixed token, or one read
     * from a file that another program renews): {@link #refresh(String)} asks the supplier again,
     * and a renewed file is used at once.
     *
     * @param token supplies the access token; called once per connection and on a refusal
     * @return the tokens
     */
    static OAuth2Tokens of(Supplier<String> token) {
        Objects.requireNonNull(token, "token");
        return new OAuth2Tokens() {
            @Override
            public String accessToken() {
                return token.get();
            }

            @Override
            public String refresh(String rejected) {
                return token.get();
            }

            @Override
            public String toString() {
                return "OAuth2Tokens[supplied]";
            }
        };
    }
}
