package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(120)
class EngineOnMboxTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"1,none", "2,gzip", "3,none", "4,zstd"})
    void scenario(long seed, String codec) throws Exception {
        Random r = new Random(seed);
        MemorySource source = new MemorySource();
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(switch (i % 4) {
                case 0 -> "Message-ID: <m" + i + "@x>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\nFrom me\r\n";
                case 1 -> "Subject: no id " + i + "\r\n\r\nbody";
                case 2 -> "Message-ID: <same@x>\r\n\r\nbody " + "x".repeat(i) + "\r\n";
                default -> "Message-Id: <m" + i + "@x>\nSubject: lf " + i + "\n\nbody\n";
            });
        }
        String[] names = {"INBOX", "Archive/2019", "Sent"};
        for (String n : names) {
            source.folder(n).condstore(r.nextBoolean());
        }
        for (int step = 0; step < 20; step++) {
            String where = "seed " + seed + " step " + step;
            MemoryFolder f = source.folder(names[r.nextInt(names.length)]);
            for (int c = r.nextInt(5); c > 0; c--) {
                long[] uids = f.uids();
                switch (r.nextInt(6)) {
                    case 0, 1, 2 -> f.add(pool.get(r.nextInt(pool.size())).getBytes(ISO_8859_1), "\\Seen");
                    case 3 -> { if (uids.length > 0) f.expunge(uids[r.nextInt(uids.length)]); }
                    case 4 -> { if (uids.length > 0) f.flags(uids[r.nextInt(uids.length)], "\\Flagged"); }
                    default -> f.uidValidity(f.uidValidity() + 7);
                }
            }
            if (r.nextInt(4) == 0) {
                source.dropConnectionAtOpenMessage(1 + r.nextInt(3));
            }
            if (r.nextInt(5) == 0) {
                try (var files = java.nio.file.Files.walk(dir)) {
                    for (Path p : files.filter(p -> p.toString().endsWith(".index")).toList()) {
                        java.nio.file.Files.delete(p);
                    }
                }
            }
            MboxStore store = MboxStore.builder(dir).codec(codec).build();
            BackupReport report = BackupSession.builder().source(source).target(store).build().run();
            assertThat(report.allErrors()).as(where).isEmpty();
            for (String n : names) {
                MemoryFolder g = source.folder(n);
                try (FolderArchive a = store.openReadOnly(new FolderInfo(n, "/", Set.of(), true)).orElseThrow()) {
                    List<ArchivedMessage> live = a.messages().stream()
                            .filter(m -> !m.expunged() && m.uidValidity() == g.uidValidity()).toList();
                    assertThat(live.stream().map(ArchivedMessage::uid).sorted().toList()).as(where + " " + n)
                            .isEqualTo(MemorySource.list(g.uids()));
                    for (ArchivedMessage m : live) {
                        try (var in = a.openMessage(m)) {
                            assertThat(in.readAllBytes()).as(where).isEqualTo(g.content(m.uid()));
                        }
                        assertThat(m.flags()).as(where).isEqualTo(g.flagsOf(m.uid()));
                    }
                } catch (java.util.NoSuchElementException e) {
                    assertThat(g.size()).isZero();
                }
            }
        }
    }
}
