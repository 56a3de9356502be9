package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.spi.MessageSource;

/** Builds the IMAP message source from resolved settings. */
final class Sources {

    private Sources() { }

    /**
     * Builds the source (no I/O).
     *
     * @param s the settings
     * @return the source
     */
    static ImapSource imap(ServerSettings s) {
        ImapSource.Builder b = ImapSource.builder()
                .host(s.host())
                .port(s.port())
                .security(s.security())
                .user(s.user())
                .insecure(s.insecure());
        if (s.credential() instanceof Credential.Password p) {
            b.password(p::secret);
        } else if (s.credential() instanceof Credential.OAuth2Token t) {
            b.oauth2Token(t::token);
        } else if (s.credential() instanceof Credential.OAuth2Refresh r) {
            b.oauth2(r.tokens());
        }
        if (s.trustStore() != null) {
            b.trustStore(s.trustStore());
        }
        if (s.clientCertificate() != null) {
            b.clientCertificate(s.clientCertificate());
        }
        if (s.timeout() != null) {
            b.timeout(s.timeout());
        }
        return s.rates().apply(b).build();
    }
}
