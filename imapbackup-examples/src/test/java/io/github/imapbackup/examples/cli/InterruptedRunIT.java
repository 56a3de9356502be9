package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code export} and {@code import} interrupted for real: the program runs as a child process
 * (its main class on this test's class path), through its launcher (the work in a second JVM) or in
 * process, and gets SIGKILL or SIGINT (Ctrl-C) while it writes.
 * Afterwards no truncated file stands under a final name; with SIGINT stderr says what was done
 * and that running again is safe; and running the same command again completes the work: every
 * message exactly once, byte for byte.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InterruptedRunIT {

    /** Enough messages that the child is surely still writing when it is interrupted. */
    private static final int MESSAGES = 6000;

    @TempDir
    static Path shared;
    static Path source;
    static List<byte[]> messages;
    /** A backup directory holding the source file's messages as folder INBOX. */
    static Path backup;

    @TempDir
    Path tmp;

    @BeforeAll
    static void prepare() throws Exception {
        messages = new ArrayList<>();
        String filler = "Some text that fills the body of the message a little.\r\n".repeat(20);
        for (int i = 0; i < MESSAGES; i++) {
            messages.add(switch (i % 50) {
                case 7 -> messages.get(i - 1); // a byte-identical copy: kept twice, never thrice
                case 9 -> MboxFiles.message("shared@example.org", "same id " + i, "Other bytes " + i + "\r\n");
                case 11 -> MboxFiles.message(null, "no id " + i, "From the start of a line\r\n" + filler);
                default -> MboxFiles.message("m" + i + "@example.org", "message " + i, "Body " + i + "\r\n" + filler);
            });
        }
        source = MboxFiles.mbox(shared.resolve("Big.mbox"), messages);
        backup = shared.resolve("backup");
        MboxImporter.builder(MboxStore.builder(backup).build()).build().importFiles(List.of(source), "INBOX");
    }

    @ParameterizedTest
    @CsvSource({"KILL, launcher", "KILL, in process", "INT, launcher", "INT, in process"})
    void interruptedEmlExportLeavesNothingBrokenAndARerunCompletesIt(String signal, String mode) throws Exception {
        Path out = tmp.resolve("eml");
        ChildProgram child = start(mode, "export", "--dir", backup.toString(), "--eml", out.toString());
        child.interruptWhen(signal, () -> count(out, ".eml") >= 100);
        if (signal.equals("INT")) {
            child.assertSaidWhatHappened("export");
        }
        // what stands under a final name is complete
        List<Path> written = files(out, ".eml");
        assertThat(written.size()).as(child.toString()).isLessThan(MESSAGES);
        for (Path f : written) {
            assertThat(Files.readAllBytes(f)).as(f.toString()).isEqualTo(messages.get(position(f) - 1));
        }

        CliRun again = CliRun.run("export", "--dir", backup.toString(), "--eml", out.toString());
        assertThat(again.status).as(again.toString()).isZero();
        List<Path> all = files(out, ".eml");
        assertThat(all).hasSize(MESSAGES);
        for (Path f : all) {
            assertThat(Files.readAllBytes(f)).as(f.toString()).isEqualTo(messages.get(position(f) - 1));
        }
        assertNoPartialFiles(out);
    }

    @ParameterizedTest
    @CsvSource({"KILL, launcher", "KILL, in process", "INT, launcher", "INT, in process"})
    void interruptedMboxExportLeavesNothingBrokenAndARerunCompletesIt(String signal, String mode) throws Exception {
        Path out = tmp.resolve("mbox");
        ChildProgram child = start(mode, "export", "--dir", backup.toString(), "--mbox", out.toString(),
                "--compress", "gzip");
        child.interruptWhen(signal, () -> count(out, "") >= 1);
        if (signal.equals("INT")) {
            child.assertSaidWhatHappened("export");
        }
        assertThat(out.resolve("INBOX.mbox.gz")).as(child.toString()).doesNotExist();

        CliRun again = CliRun.run("export", "--dir", backup.toString(), "--mbox", out.toString(), "--compress", "gzip");
        assertThat(again.status).as(again.toString()).isZero();
        assertThat(read(out.resolve("INBOX.mbox.gz"))).isEqualTo(hashes(messages));
        assertNoPartialFiles(out);
        // once more: the file already holds what would be written, so it is kept and skipped
        CliRun third = CliRun.run("export", "--dir", backup.toString(), "--mbox", out.toString(), "--compress", "gzip");
        assertThat(third.status).as(third.toString()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"KILL, launcher", "KILL, in process", "INT, launcher", "INT, in process"})
    void interruptedImportStoresNothingTwiceAndARerunCompletesIt(String signal, String mode) throws Exception {
        Path dir = tmp.resolve("imported");
        ChildProgram child = start(mode, "import", "--dir", dir.toString(), source.toString());
        Path mbox = dir.resolve("Big.mbox");
        child.interruptWhen(signal, () -> size(mbox) > 100_000);
        if (signal.equals("INT")) {
            child.assertSaidWhatHappened("import");
        }
        CliRun again = CliRun.run("import", "--dir", dir.toString(), source.toString());
        assertThat(again.status).as(again.toString()).isZero();
        MboxStore store = MboxStore.builder(dir).build();
        try (FolderArchive a = store.openReadOnly(new FolderInfo("Big", "/", Set.of(), true)).orElseThrow()) {
            List<String> stored = new ArrayList<>();
            for (ArchivedMessage m : a.messages()) {
                try (InputStream in = a.openMessage(m)) {
                    stored.add(MboxFiles.sha256(in.readAllBytes()));
                }
            }
            List<String> want = hashes(messages);
            stored.sort(null);
            want.sort(null);
            assertThat(stored).as("every message once (copies as often as the file holds them)").isEqualTo(want);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"launcher", "in process"})
    void anInterruptedBackupWritesItsReportAndARerunCompletesIt(String mode) throws Exception {
        try (DemoServer server = DemoServer.start("demo", "interrupt-pw")) {
            server.load(SampleAccount.generate(3, 4096, 3000));
            Path pw = Files.writeString(tmp.resolve("pw"), "interrupt-pw\n");
            Path dir = tmp.resolve("backup");
            Path report = tmp.resolve("report.json");
            String[] backup = {"backup", "--host", DemoServer.HOST, "--port", Integer.toString(server.port()),
                "--security", "none", "--user", "demo", "--password-file", pw.toString(), "--dir", dir.toString(),
                "--connections", "1"};
            List<String> first = new ArrayList<>(List.of(backup));
            first.addAll(List.of("--report", report.toString()));
            ChildProgram child = start(mode, first.toArray(String[]::new));
            child.interruptWhen("INT", () -> treeSize(dir, ".mbox") > 200_000);

            assertThat(child.err()).as(child.toString()).contains("imapbackup backup: interrupted")
                    .contains("run the same command again");
            assertThat(report).as("the report is written before the JVM exits; " + child).exists();
            assertThat(Files.readString(report)).contains("\"exitStatus\":1").contains("interrupted");

            CliRun again = CliRun.run(backup);
            assertThat(again.status).as(again.toString()).isZero();
            CliRun third = CliRun.run(backup);
            assertThat(third.status).as(third.toString()).isZero();
            assertThat(third.out).as("nothing left to copy: " + third).containsPattern("Total +\\d+ +0 ");
            CliRun verify = CliRun.run("verify", "--dir", dir.toString());
            assertThat(verify.status).as(verify.toString()).isZero();
        }
    }

    /** The program through its launcher (the work in a second JVM, as {@code java -jar} runs it) or in process. */
    private ChildProgram start(String mode, String... args) throws IOException {
        return ChildProgram.start(tmp, mode.equals("launcher") ? List.of() : List.of("-Dimapbackup.inProcess=true"),
                Map.of(), args);
    }

    private static long treeSize(Path dir, String suffix) {
        try {
            return files(dir, suffix).stream().mapToLong(InterruptedRunIT::size).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a file went while the directory was listed: ask again
        }
    }

    private static void assertNoPartialFiles(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.filter(p -> !Files.isDirectory(p) && !p.toString().endsWith(".eml")
                    && !p.toString().endsWith(".mbox.gz")).toList()).isEmpty();
        }
    }

    private static List<String> hashes(List<byte[]> list) {
        List<String> h = new ArrayList<>();
        list.forEach(b -> h.add(MboxFiles.sha256(b)));
        return h;
    }

    private static List<String> read(Path mbox) throws IOException {
        List<String> h = new ArrayList<>();
        try (MboxReader r = MboxReader.open(mbox)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                try (InputStream in = e.content()) {
                    h.add(MboxFiles.sha256(in.readAllBytes()));
                }
            }
        }
        return h;
    }

    /** The position in the folder that an {@code .eml} file's name starts with. */
    private static int position(Path eml) {
        return Integer.parseInt(eml.getFileName().toString().substring(0, 6));
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long count(Path dir, String suffix) {
        try {
            return files(dir, suffix).size();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a file went while the directory was listed: ask again
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
