package io.github.imapbackup.accounts;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.mbox.MboxStore;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds an account's backup session from the configuration: its IMAP source (server, security,
 * user, secret, timeout, batch sizes), its folder rules as exclusions, its connections. The secret is
 * read here, once, before anything connects; a source that fails (a missing file, an unset
 * variable, a failing command) fails the account alone.
 *
 * <p>Not wired yet (other parts of issue 11 add the builder methods): rate caps, the TLS client
 * certificate, OAuth2 with a refresh token, Gmail's label mode.
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

    private static ImapSource source(BackupConfig config, AccountConfig account) throws BackupException {
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
        Credentials c = account.credentials();
        if (c instanceof Credentials.SecretSource s) {
            char[] secret = s.read(); // fails here, before anything connects, naming the source
            if (s.isAccessToken()) {
                String token = new String(secret);
                java.util.Arrays.fill(secret, '\0');
                b.oauth2Token(() -> token);
            } else {
                b.password(secret::clone);
            }
        } else {
            throw new CredentialsException("account " + account.name() + ": " + c
                    + " is not supported by this build yet; give a password source or an OAuth2 token file", null);
        }
        return b.build();
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
