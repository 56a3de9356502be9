package io.github.imapbackup.accounts;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.imap.ClientCertificate;
import io.github.imapbackup.imap.GmailLabels;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.mbox.MboxStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds an account's backup session from the configuration: its IMAP source (server, security,
 * user, secret, timeout, batch sizes), its folder rules as exclusions, its connections. The secret is
 * read here, once, before anything connects; a source that fails (a missing file, an unset
 * variable, a failing command) fails the account alone.
 *
 * <p>Also wired: the rate caps ({@link BackupConfig#rateLimitFor}), the TLS client certificate
 * (checked before connecting), OAuth2 with a refresh token ({@link OAuth2Refresher}, its cache by
 * default in the user's cache directory), and Gmail's label mode (the Gmail preset stores each
 * message once with its labels unless the account asks for per-label copies).
 */
final class AccountSessions {

    private AccountSessions() { }

    /** Returns what builds the account's session on its store. */
    static AccountJob.SessionFactory factory(BackupConfig config, AccountConfig account, int connections) {
        return (store, listener) -> session(config, account, connections, store, listener);
    }

    private static BackupSession session(BackupConfig config, AccountConfig account, int connections,
            MboxStore store, BackupListener listener) throws BackupException {
        BackupSession.Builder b = BackupSession.builder()
                .source(source(config, account))
                .target(store)
                .connections(connections)
                .listener(listener);
        FolderFilter filter = FolderFilter.all();
        for (Pattern p : exclusions(config.ignoreFoldersFor(account), account.includeFolders())) {
            filter = filter.exclude(p);
        }
        return b.folderFilter(filter).build();
    }

    static ImapSource source(BackupConfig config, AccountConfig account) throws BackupException {
        ImapSource.Builder b = ImapSource.builder()
                .host(account.host())
                .port(account.port())
                .security(account.security())
                .user(account.user())
                .insecure(account.insecure())
                .timeout(config.timeout())
                .metadataBatch(config.metadataBatch())
                .fetchSize(config.fetchSize());
        account.trustStore().ifPresent(b::trustStore);
        credentials(account, b);
        if (account.clientCertificate().isPresent()) {
            b.clientCertificate(clientCertificate(account, account.clientCertificate().get()));
        }
        RateLimit rate = config.rateLimitFor(account);
        if (rate.bytesPerSecond() > 0) {
            b.maxBytesPerSecond(rate.bytesPerSecond());
        }
        if (rate.messagesPerSecond() > 0) {
            b.maxMessagesPerSecond(rate.messagesPerSecond());
        }
        if (account.provider() == Provider.GMAIL && !account.gmailLabelCopies()) {
            b.gmailLabels(GmailLabels.STORE_ONCE);
        }
        return b.build();
    }

    private static void credentials(AccountConfig account, ImapSource.Builder b) throws BackupException {
        Credentials c = account.credentials();
        if (c instanceof Credentials.SecretSource s) {
            char[] secret = s.read(); // fails here, before anything connects, naming the source
            if (s.isAccessToken()) {
                String token = new String(secret);
                Arrays.fill(secret, '\0');
                b.oauth2Token(() -> token);
            } else {
                b.password(secret::clone);
            }
        } else if (c instanceof Credentials.OAuth2 o) {
            OAuth2Refresher.Builder r = OAuth2Refresher.builder()
                    .tokenEndpoint(o.tokenEndpoint())
                    .clientId(o.clientId())
                    .refreshToken(o.refreshToken()::read)
                    .cacheFile(o.cache().orElseGet(() -> OAuth2Refresher.defaultCacheFile(account.user(),
                            OAuth2Endpoint.of(o.tokenEndpoint()))));
            o.clientSecretSource().ifPresent(secret -> r.clientSecret(secret::read));
            o.scopeValue().ifPresent(r::scope);
            b.oauth2(r.build());
        } else {
            throw new CredentialsException("account " + account.name() + ": " + c
                    + " is not supported; give a password source, an OAuth2 token file or OAuth2 settings", null);
        }
    }

    /** The account's TLS client certificate, its PKCS12 password read now, before anything connects. */
    private static ClientCertificate clientCertificate(AccountConfig account, ClientCertificateFiles files)
            throws BackupException {
        ClientCertificate certificate;
        if (files instanceof ClientCertificateFiles.Pkcs12 p) {
            char[] password = p.passwordSource().isPresent() ? p.passwordSource().get().read() : new char[0];
            certificate = ClientCertificate.pkcs12(p.file(), password::clone);
        } else {
            ClientCertificateFiles.Pem pem = (ClientCertificateFiles.Pem) files;
            certificate = ClientCertificate.pem(pem.certificate(), pem.key());
        }
        try {
            certificate.check();
        } catch (IOException e) {
            throw new CredentialsException("account " + account.name() + ": " + e.getMessage(), e);
        }
        return certificate;
    }

    /**
     * Turns the folder rules into the engine's exclusions (regular expressions over the full
     * folder name): a folder to ignore, with its sub-folders; and, when only some folders are to be
     * backed up, everything else.
     */
    static List<Pattern> exclusions(List<FolderRule> ignore, List<FolderRule> include) {
        List<Pattern> out = new ArrayList<>();
        ignore.forEach(r -> out.add(r.pattern()));
        if (!include.isEmpty()) {
            out.add(Pattern.compile("(?!(?:" + include.stream().map(AccountSessions::regex)
                    .collect(Collectors.joining("|")) + ")$).*", Pattern.DOTALL));
        }
        return out;
    }

    /** A rule's expression as a group that keeps its flags inside a larger one. */
    private static String regex(FolderRule r) {
        Pattern p = r.pattern();
        return ((p.flags() & Pattern.DOTALL) != 0 ? "(?s:" : "(?-s:") + p.pattern() + ")";
    }
}
