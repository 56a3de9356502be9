package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.Layout;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both hierarchy delimiters Dovecot offers ({@code /} and {@code .}): the source reports the
 * server's delimiter, and the backup writes the files at the paths of docs/FORMAT.md ("Backup directory in one screen"), nested and flat.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotDelimiterIT {

    @RegisterExtension
    static final Dovecot SLASH = Dovecot.builder().separator('/').user(USER, PASSWORD).build();

    @RegisterExtension
    static final Dovecot DOT = Dovecot.builder().separator('.').user(USER, PASSWORD).build();

    /** Folder name (decoded) with {@code \u0000} for the delimiter → expected nested path, expected flat path. */
    static final Map<String, List<String>> FOLDERS = new LinkedHashMap<>();

    static {
        FOLDERS.put("INBOX", List.of("INBOX.mbox", "INBOX.mbox"));
        FOLDERS.put("Archive\u00002019\u0000Q3", List.of("Archive/2019/Q3.mbox", "Archive.2019.Q3.mbox"));
        FOLDERS.put("Sent Items", List.of("Sent Items.mbox", "Sent Items.mbox"));
        FOLDERS.put("Entw\u00fcrfe", List.of("Entw\u00fcrfe.mbox", "Entw\u00fcrfe.mbox"));
        FOLDERS.put("Entw\u00fcrfe\u0000Alt", List.of("Entw\u00fcrfe/Alt.mbox", "Entw\u00fcrfe.Alt.mbox"));
        FOLDERS.put("a:b", List.of("a%3Ab.mbox", "a%3Ab.mbox"));
        FOLDERS.put("trail ", List.of("trail%20.mbox", "trail%20.mbox"));
        FOLDERS.put("q\"d", List.of("q%22d.mbox", "q%22d.mbox"));
        FOLDERS.put("back\\s", List.of("back%5Cs.mbox", "back%5Cs.mbox"));
        FOLDERS.put("pct%", List.of("pct%25.mbox", "pct%25.mbox"));
    }

    static Dovecot server(char separator) {
        return separator == '/' ? SLASH : DOT;
    }

    static String name(String pattern, Dovecot d) {
        return pattern.replace('\u0000', d.separator());
    }

    @BeforeAll
    static void load() throws Exception {
        for (Dovecot d : List.of(SLASH, DOT)) {
            try (ImapTestClient c = d.login(USER)) {
                int i = 0;
                for (String pattern : FOLDERS.keySet()) {
                    String folder = name(pattern, d).replace("\u00fc", "&APw-"); // modified UTF-7 on the wire
                    c.createFolder(folder);
                    c.append(folder, Interop.ascii("Message-ID: <" + i++ + "@delim>\r\n\r\nin " + folder + "\r\n"),
                            Set.of(), Instant.parse("2020-02-02T20:20:20Z"));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void sourceReportsTheServersDelimiter(char separator) throws Exception {
        Dovecot d = server(separator);
        try (SourceConnection c = Interop.source(d).build().connect()) {
            List<FolderInfo> folders = c.folders();
            assertThat(folders).extracting(FolderInfo::name)
                    .containsAll(FOLDERS.keySet().stream().map(p -> name(p, d)).toList());
            assertThat(folders).extracting(FolderInfo::delimiter).containsOnly(String.valueOf(d.separator()));
            assertThat(folders).filteredOn(f -> f.name().equals("Archive")).singleElement()
                    .matches(f -> !f.selectable(), "Archive is \\Noselect");
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void nestedLayoutWritesDesignPaths(char separator, @TempDir Path dir) throws Exception {
        Dovecot d = server(separator);
        BackupReport report = BackupSession.builder().source(Interop.source(d).build())
                .target(MboxStore.builder(dir).codec("none").layout(Layout.NESTED).build()).build().run();
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(FOLDERS.size());
        assertThat(mboxFiles(dir)).containsExactlyInAnyOrderElementsOf(
                FOLDERS.values().stream().map(p -> p.get(0)).toList());
        assertThat(report.folders()).filteredOn(f -> f.name().equals(name("Archive\u00002019\u0000Q3", d)))
                .singleElement().matches(f -> "Archive/2019/Q3.mbox".equals(f.file()), "file is Archive/2019/Q3.mbox");
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void flatLayoutWritesDesignPaths(char separator, @TempDir Path dir) throws Exception {
        Dovecot d = server(separator);
        BackupReport report = BackupSession.builder().source(Interop.source(d).build())
                .target(MboxStore.builder(dir).codec("none").layout(Layout.FLAT).build()).build().run();
        assertThat(report.allErrors()).isEmpty();
        assertThat(mboxFiles(dir)).containsExactlyInAnyOrderElementsOf(
                FOLDERS.values().stream().map(p -> p.get(1)).toList());
    }

    private static List<String> mboxFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> n.endsWith(".mbox")).sorted().toList();
        }
    }
}
