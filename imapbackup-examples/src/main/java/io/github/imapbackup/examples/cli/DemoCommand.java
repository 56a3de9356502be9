package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.examples.demo.SampleMessage;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.BackupArchive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code demo}: an embedded sample server, backed up twice over IMAP on loopback. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Back up a built-in sample server, twice, and print the report.", "",
            "Start an embedded IMAP server (GreenMail) on a free loopback port with a generated "
                + "sample account, back it up into --dir through the real IMAP client, print the report, "
                + "back it up again to show that nothing new is copied, and stop the server.", ""},
        footer = {"", "Example:", "  java -jar imapbackup-examples/target/imapbackup.jar demo --dir /tmp/demo -z"})
final class DemoCommand extends AbstractCommand {

    static final String MARKER = ".imapbackup-demo";
    static final String USER = "demo";

    @Mixin
    DirOptions dir = new DirOptions();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the sample account generator (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--messages", paramLabel = "N", hidden = true,
            description = "How many ordinary messages the sample has (default: about 250).")
    int messages = SampleAccount.STANDARD_ORDINARY;

    @Override
    String sourceLabel() {
        return null;
    }

    @Override
    BackupReport execute(Instant started) throws IOException {
        ServerResolver.requireRange("--messages", messages, 0, 100_000, "");
        Path target = dir.dir != null ? dir.dir : Path.of("imapbackup-demo");
        prepare(target);
        PrintStream out = quiet() ? new PrintStream(PrintStream.nullOutputStream()) : ctx.out();
        List<SampleMessage> sample = SampleAccount.generate(seed, 5 * 1024 * 1024, messages);
        char[] password = "demo".toCharArray();
        try (DemoServer server = DemoServer.start(USER, new String(password))) {
            Map<String, Integer> counts = server.load(sample);
            out.printf("Embedded IMAP server (GreenMail) listening on %s:%d, user \"%s\", password \"demo\".%n",
                    DemoServer.HOST, server.port(), USER);
            out.println("It speaks plain IMAP (--security none): it listens on the loopback interface only, so no");
            out.println("traffic leaves this machine. For a real server keep the default --security tls.");
            long bytes = sample.stream().mapToLong(SampleMessage::size).sum();
            out.printf("Sample account: %d messages, %s, in %d folders: %s%n", sample.size(), Format.bytes(bytes),
                    counts.size(), String.join(", ", counts.keySet()));
            out.println("It holds the hard cases: folded, doubled, missing and commented Message-IDs, a message held");
            out.println("twice, two messages sharing a Message-ID, body lines starting with \"From \", LF and CRLF");
            out.println("bodies, a message without final line end, flags and keywords, and a 5 MB attachment.");
            out.println();
            ServerSettings server1 = new ServerSettings(DemoServer.HOST, server.port(), Security.NONE, USER,
                    new Credential.Password(password, "the demo"), null, false, Duration.ofSeconds(30), 1,
                    RateCaps.NONE);
            BackupSettings settings = new BackupSettings(server1,
                    new BackupSettings.StoreSettings(target, dir.compress, dir.layout), List.of(), List.of(), false, quiet());
            out.println("== First run: backup of " + server1.describe() + " into " + target.toAbsolutePath().normalize());
            BackupReport first = BackupRunner.run(settings, common.dryRun, false, progressListener(), this::onBackupInterrupt);
            Statistics.print(first, "On server", out);
            out.println();
            out.println("The report of the first run (--report FILE writes it, on one line):");
            out.println(Format.prettyJson(ReportJson.toJson(first, ExitStatus.of(first))));
            out.println();
            if (common.dryRun) {
                out.println("Dry run: nothing was written, so a second run would plan the same.");
                return combine(first, first, null, started);
            }
            out.println("== Second run: the same backup again");
            BackupReport second = BackupRunner.run(settings, false, false, progressListener(), this::onBackupInterrupt);
            Statistics.print(second, "On server", out);
            out.println();
            long again = second.totals().messagesCopied();
            out.println(again == 0 ? "The second run copied nothing: the backup is incremental."
                    : "The second run copied " + again + " messages (unexpected).");
            out.println();
            out.println("== Verify: every message re-read and checked against the SHA-256 in its index");
            BackupReport verified;
            try (BackupArchive archive = Stores.mbox(settings.store(), true).read()) {
                verified = archive.verify().toReport();
            }
            out.println(ExitStatus.of(verified) == ExitStatus.OK
                    ? "OK: all " + verified.totals().messagesOnSource() + " messages match."
                    : "FAILED: " + verified.totals().errors() + " problem(s)");
            verified.allErrors().forEach(e -> out.println("  " + e.message()));
            out.println();
            out.println("The backup is in " + target.toAbsolutePath().normalize() + ":");
            listFiles(target, out);
            out.println();
            out.println("Next: imapbackup folders|backup --host YOUR.SERVER --user YOU ...   (see docs/CLI.md)");
            return combine(first, second, verified, started);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** The first run's folders; the errors of the second run and of the verification. */
    private BackupReport combine(BackupReport first, BackupReport second, BackupReport verified, Instant started) {
        List<ReportError> errors = new ArrayList<>(first.errors());
        errors.addAll(second.allErrors());
        if (verified != null) {
            errors.addAll(verified.allErrors());
        }
        return new BackupReport(name(), started, Instant.now(), common.dryRun, Outcome.COMPLETED,
                first.folders(), errors);
    }

    /** An mbox file's name (docs/FORMAT.md): what the demo lists; the metadata beside it is not. */
    private static final java.util.regex.Pattern MBOX_FILE = java.util.regex.Pattern.compile(".*\\.mbox(\\.(gz|bz2|xz|zst))?");

    /** Prints the mbox files of the backup with their sizes. */
    private static void listFiles(Path dir, PrintStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> MBOX_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted().toList();
        }
        for (Path p : files) {
            out.printf("  %-40s %10s%n", dir.relativize(p), Format.bytes(Files.size(p)));
        }
        String first = files.get(0).getFileName().toString();
        out.println("  (each with its index and the index's summary beside it: " + first + ".index, " + first
                + ".isum, ...)");
    }

    /** Makes sure the directory is new, or one that an earlier demo made (then it is emptied). */
    private void prepare(Path target) throws IOException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new UsageException("not a directory: " + target);
        }
        if (Files.isDirectory(target)) {
            boolean empty;
            try (Stream<Path> s = Files.list(target)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(target.resolve(MARKER))) {
                throw new UsageException(target + " is not empty and not from an earlier demo; choose another --dir");
            }
            if (!empty && !common.dryRun) {
                deleteContents(target);
            }
        }
        if (!common.dryRun) {
            if (!Files.isDirectory(target)) {
                try {
                    Files.createDirectories(target, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(target);
                }
            }
            Files.writeString(target.resolve(MARKER), "made by 'imapbackup demo'; the next demo empties this directory\n");
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
