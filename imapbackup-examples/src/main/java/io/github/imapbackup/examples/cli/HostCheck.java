package io.github.imapbackup.examples.cli;

import io.github.imapbackup.AccountSizes;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.SearchRejectedException;
import java.io.PrintStream;
import java.util.List;

/**
 * What {@code migrate} asks of one host before (or instead of) the transfer: its sizes, or its
 * greeting and capabilities ({@code --justconnect}); a failure to connect or log in names the host.
 */
final class HostCheck {

    private HostCheck() { }

    /**
     * Measures one host.
     *
     * @param host {@code host1} or {@code host2}
     * @param source its source, with host1's filters
     * @param filter the folders measured
     * @param s its settings
     * @return the sizes
     * @throws ConnectionException naming the host
     * @throws UsageException if host1 refuses the {@code --search} expression
     * @throws BackupException for other failures
     */
    static AccountSizes measure(String host, ImapSource source, FolderFilter filter, ServerSettings s)
            throws BackupException {
        try {
            return AccountSizes.measure(source, filter);
        } catch (SearchRejectedException e) {
            throw refused(e);
        } catch (ConnectionException e) {
            throw named(host, s, e);
        }
    }

    /**
     * Connects to one host, logs in, prints its greeting and capabilities, and logs out.
     *
     * @param host {@code host1} or {@code host2}
     * @param source its source
     * @param s its settings
     * @param out where the lines go
     * @throws ConnectionException naming the host
     * @throws BackupException for other failures
     */
    static void probe(String host, ImapSource source, ServerSettings s, PrintStream out) throws BackupException {
        ImapSource.Probe p;
        try {
            p = source.probe();
        } catch (ConnectionException e) {
            throw named(host, s, e);
        }
        String label = Character.toUpperCase(host.charAt(0)) + host.substring(1);
        MigrateStatistics.print(host + ": " + source.describe(), List.of(
                new MigrateStatistics.Line(label + " greeting", p.greeting()),
                new MigrateStatistics.Line(label + " capabilities before login", String.join(" ", p.capabilitiesBeforeLogin())),
                new MigrateStatistics.Line(label + " capabilities after login", String.join(" ", p.capabilitiesAfterLogin()))),
                out);
    }

    /** {@return the usage error for a search expression that host1 refused: its message names folder and expression} */
    static UsageException refused(SearchRejectedException e) {
        return new UsageException("--search: host1 " + e.getMessage(), e);
    }

    private static ConnectionException named(String host, ServerSettings s, ConnectionException e) {
        String m = host + " (" + s.host() + "): " + e.getMessage();
        return e instanceof AuthenticationException ? new AuthenticationException(m, e) : new ConnectionException(m, e);
    }
}
