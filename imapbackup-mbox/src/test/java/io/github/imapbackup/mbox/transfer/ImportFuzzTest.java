package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.FuzzTally;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoreFixtures;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.Expected;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer over the import path: the fuzzed bytes as an mbox file, imported into a new store, which
 * then verifies, and is exported as mboxrd. The store holds exactly the messages the reader saw
 * (byte for byte, copies counted); a file the reader refuses fails its folder with the file and
 * offset, and nothing of it is stored; verify finds no problem; the export reads back as the same
 * messages. Seed corpus: src/test/resources/io/github/imapbackup/mbox/transfer/ImportFuzzTestInputs;
 * with -Preliability Jazzer fuzzes for 2,000 inputs (each a whole import, verify and export).
 */
class ImportFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("fuzz-import");

    @FuzzTest(maxExecutions = 2_000, maxDuration = "2h")
    void importsWhatTheReaderSees(byte[] data) throws Exception {
        TALLY.run(() -> {
            Path dir = Files.createTempDirectory(scratch(), "fuzz");
            try {
                check(dir, data);
            } finally {
                delete(dir);
            }
        });
    }

    private static void check(Path dir, byte[] data) throws IOException {
        Path file = dir.resolve("in.mbox");
        Files.write(file, data);
        List<String> seen = new ArrayList<>();
        boolean refused = false;
        try (MboxReader r = MboxReader.open(file)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                try (InputStream in = e.content()) {
                    seen.add(Expected.sha256(in.readAllBytes()));
                }
            }
        } catch (MalformedMboxException e) {
            refused = true;
        }
        MboxStore store = MboxStore.builder(dir.resolve("store")).build();
        BackupReport report = MboxImporter.builder(store).extractor(StoreFixtures.EXTRACTOR).build()
                .importFiles(List.of(file), "INBOX");
        List<String> stored = StoredShas.of(store, StoreFixtures.INBOX);
        if (refused) {
            assertThat(report.allErrors()).as("a refused file is a failure").isNotEmpty();
            assertThat(report.allErrors().get(0).message()).contains(file.toString(), "at byte");
            assertThat(stored).as("nothing of a refused file is stored").isEmpty();
            return;
        }
        assertThat(sorted(stored)).as("the store holds what the reader saw").isEqualTo(sorted(seen));
        try (BackupArchive a = store.read()) {
            assertThat(a.verify().problems()).as("verify").isEmpty();
        }
        if (stored.isEmpty()) {
            return;
        }
        Path out = dir.resolve("export");
        BackupReport exported = MboxExporter.builder(store).build().exportMbox(out, Dialect.MBOXRD, Codecs.NONE);
        assertThat(exported.allErrors()).isEmpty();
        List<String> again = new ArrayList<>();
        try (Stream<Path> files = Files.list(out);
                MboxReader r = MboxReader.open(files.filter(f -> f.toString().endsWith(".mbox")).findFirst()
                        .orElseThrow(), Dialect.MBOXRD)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                try (InputStream in = e.content()) {
                    again.add(Expected.sha256(in.readAllBytes()));
                }
            }
        }
        assertThat(again).as("the export reads back as the stored messages (a message without a final line end"
                + " gets one: docs/FORMAT-mbox.md)").isEqualTo(exported(store));
    }

    /** What an mboxrd export of the stored messages reads back as: each ends with a line end. */
    private static List<String> exported(MboxStore store) throws IOException {
        List<String> out = new ArrayList<>();
        for (byte[] m : StoredShas.contents(store, StoreFixtures.INBOX)) {
            boolean added = m.length == 0 || m[m.length - 1] != '\n';
            out.add(Expected.sha256(Expected.afterRoundTrip(m, Dialect.MBOXRD, added)));
        }
        return out;
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }

    /** A RAM file system when there is one: each input writes and syncs a whole store. */
    private static Path scratch() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @AfterAll
    static void figures() {
        TALLY.print();
    }
}
