package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Helpers of the restore round trips against Dovecot, used as an embedder would: {@link BackupSession}
 * into an {@link MboxStore}, {@link RestoreSession} from {@link MboxStore#asSource(ArchiveSelection)}
 * into an {@link ImapTarget}, and the contents of a backup directory as comparable text.
 */
final class Restores {

    private Restores() { }

    /** The connection settings of a Dovecot user (plain IMAP). */
    static ImapSource account(Dovecot d, String user) {
        String password = d.password(user);
        return ImapSource.builder().host(d.host()).port(d.port()).security(Security.NONE).user(user)
                .password(password::toCharArray).timeout(Duration.ofSeconds(30)).build();
    }

    /** Backs up every folder of a user into {@code dir}, the store's clock at {@code now}. */
    static BackupReport backup(Dovecot d, String user, Path dir, Instant now) throws BackupException {
        Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
        return backup(d, user, MboxStore.builder(dir).codec("none").clock(clock).build());
    }

    /** Backs up every folder of a user into {@code store}. */
    static BackupReport backup(Dovecot d, String user, MboxStore store) throws BackupException {
        return BackupSession.builder().source(account(d, user)).target(store).build().run();
    }

    /** Backs up every folder of a user into {@code dir}, now. */
    static BackupReport backup(Dovecot d, String user, Path dir) throws BackupException {
        return backup(d, user, dir, Instant.now());
    }

    /** Restores what {@code selection} picks from {@code dir} into {@code target}. */
    static BackupReport restore(Path dir, ArchiveSelection selection, ImapTarget target) throws BackupException {
        return RestoreSession.builder().source(MboxStore.builder(dir).build().asSource(selection)).target(target)
                .build().run();
    }

    /** Restores the last backup's state of {@code dir} into a Dovecot user, no prefix. */
    static BackupReport restore(Path dir, Dovecot d, String user) throws BackupException {
        return restore(dir, ArchiveSelection.all(), ImapTarget.builder(account(d, user)).build());
    }

    /**
     * Returns what a backup directory holds (entries not marked expunged), one line per message:
     * folder segments joined by {@code " > "}, SHA-256 of the bytes, INTERNALDATE, sorted flags and
     * keywords; sorted, copies kept (a message held twice gives two equal lines).
     */
    static List<String> contents(Path dir) throws BackupException {
        List<String> lines = new ArrayList<>();
        try (BackupArchive archive = MboxStore.builder(dir).build().read()) {
            archive.messages().filter(s -> !s.message().expunged()).forEach(s -> lines.add(line(s)));
        }
        lines.sort(null);
        return lines;
    }

    private static String line(StoredMessage s) {
        ArchivedMessage m = s.message();
        return String.join(" > ", segments(s.folder().name(), s.folder().delimiter())) + " | " + m.sha256()
                + " | " + m.internalDate() + " | " + new TreeSet<>(m.flags());
    }

    /** Splits a folder name at its delimiter. */
    static List<String> segments(String name, String delimiter) {
        return delimiter == null || delimiter.isEmpty() ? List.of(name)
                : Arrays.asList(name.split(Pattern.quote(delimiter), -1));
    }

    /** Returns the lines of {@link #contents(Path)} with the folder put under {@code prefix}. */
    static List<String> underPrefix(List<String> contents, String prefix) {
        return contents.stream().map(l -> prefix + " > " + l).sorted().toList();
    }

    /** Returns the number of messages of each folder of a user, by full name (STATUS on every LIST entry). */
    static TreeMap<String, Long> counts(Dovecot d, String user) throws IOException {
        try (ImapTestClient c = d.login(user)) {
            return counts(c);
        }
    }

    /** As {@link #counts(Dovecot, String)} on an open client. */
    static TreeMap<String, Long> counts(ImapTestClient c) throws IOException {
        TreeMap<String, Long> result = new TreeMap<>();
        Pattern list = Pattern.compile("^\\* LIST \\(([^)]*)\\) \\S+ (.*)$");
        List<String> names = new ArrayList<>();
        for (ImapTestClient.Response r : c.command("LIST \"\" \"*\"")) {
            var m = list.matcher(r.text());
            if (m.find() && !m.group(1).toLowerCase(java.util.Locale.ROOT).contains("\\noselect")) {
                String n = m.group(2);
                names.add(n.startsWith("\"") ? n.substring(1, n.length() - 1).replace("\\\"", "\"")
                        .replace("\\\\", "\\") : n);
            }
        }
        for (String n : names) {
            for (ImapTestClient.Response r : c.command("STATUS " + ImapTestClient.quote(n) + " (MESSAGES)")) {
                var m = Pattern.compile("MESSAGES (\\d+)").matcher(r.text());
                if (r.text().startsWith("* STATUS") && m.find()) {
                    result.put(n, Long.parseLong(m.group(1)));
                }
            }
        }
        return result;
    }

    /** Expunges one message (UID STORE +FLAGS \Deleted, then CLOSE). */
    static void expunge(Dovecot d, String user, String folder, long uid) throws IOException {
        try (ImapTestClient c = d.login(user)) {
            c.store(folder, uid, "+FLAGS", Set.of("\\Deleted"));
        }
    }
}
