package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.input.NullInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files given to the program as users run it: a child JVM at {@code -Xmx64m} (in process,
 * so the heap is that small) runs import, verify, export and restore over damaged compressed files,
 * decompression bombs and a file whose one line is 200 MB (10 GB with -Preliability). Each ends
 * with a clear message naming the file, exit 1 where something failed, no stack trace and no
 * OutOfMemoryError; restore from a backup with a damaged member restores every other message.
 */
@Timeout(1800)
class HostileFilesIT {

    private static final boolean FULL = Boolean.getBoolean("imapbackup.reliability");
    private static final Map<String, String> ENV = Map.of("PW", "demo");
    private static final List<String> SMALL_HEAP = List.of("-Xmx64m");

    @TempDir
    Path tmp;

    private List<byte[]> messages;

    @BeforeEach
    void mail() {
        messages = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            messages.add(MboxFiles.message("m" + i + "@hostile", "message " + i, ("line of message " + i + "\r\n")
                    .repeat(200 + i * 13)));
        }
    }

    /** The program in a child JVM with a 64 MB heap; returns it ended. */
    private ChildProgram run(String... args) throws Exception {
        ChildProgram p = ChildProgram.start(tmp, SMALL_HEAP, ENV, args);
        assertThat(p.process().waitFor(FULL ? 1500 : 300, TimeUnit.SECONDS)).as("it ended").isTrue();
        assertThat(p.err() + p.out()).as(p.toString()).doesNotContain("OutOfMemoryError", "\tat ", "Exception in");
        return p;
    }

    private static int exit(ChildProgram p) {
        return p.process().exitValue();
    }

    private Path mboxOf(String name, CompressionCodec codec, List<byte[]> list) throws IOException {
        return MboxFiles.mbox(tmp.resolve(name + ".mbox" + codec.suffix()), codec, list);
    }

    @Test
    void damagedCompressedFilesAndBombsGivenToImportFailClearly() throws Exception {
        int cases = 0;
        for (String name : List.of("gzip", "bzip2", "xz", "zstd")) {
            CompressionCodec codec = Codecs.byName(name);
            Path file = mboxOf("cut-" + name, codec, messages);
            byte[] all = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(all, all.length * 2 / 3));
            ChildProgram p = run("import", "--quiet", "--dir", tmp.resolve("d-" + name).toString(), file.toString());
            assertThat(exit(p)).as(p.toString()).isEqualTo(1);
            assertThat(p.err()).as(p.toString()).contains(file.toString(), "damaged or truncated", "compressed byte",
                    "Nothing of");
            cases++;
        }
        for (String name : List.of("bzip2", "xz", "zstd")) {
            CompressionCodec codec = Codecs.byName(name);
            Path bomb = tmp.resolve("bomb-" + name + ".mbox" + codec.suffix());
            try (OutputStream out = codec.compress(Files.newOutputStream(bomb));
                    InputStream in = new SequenceInputStream(new java.io.ByteArrayInputStream(
                            "From a@b Sat Nov 21 23:39:50 2026\nSubject: zeros\n\n".getBytes(StandardCharsets.US_ASCII)),
                            new NullInputStream(64L << 20))) {
                in.transferTo(out);
            }
            ChildProgram p = run("import", "--quiet", "--dir", tmp.resolve("b-" + name).toString(), bomb.toString());
            assertThat(exit(p)).as(p.toString()).isEqualTo(1);
            assertThat(p.err()).as(p.toString()).contains(bomb.toString(), "expands more than 5000 times",
                    "--max-expansion 50000");
            cases++;
        }
        System.out.println("RELIABILITY files cli-import-damaged-and-bombs: " + cases + " cases run, lost 0, hangs 0,"
                + " exit1 " + cases + ", stacktraces 0, oom 0, heap 64m, seed none");
    }

    @Test
    void aBackupWithADamagedMemberFailsVerifyAndExportAndRestoresEveryOtherMessage() throws Exception {
        Path dir = tmp.resolve("backup");
        int thirds = messages.size() / 3;
        for (int part = 0; part < 3; part++) {
            Path f = mboxOf("part" + part, Codecs.NONE, messages.subList(part * thirds, (part + 1) * thirds));
            CliRun r = CliRun.run("import", "--quiet", "--dir", dir.toString(), "--compress", "xz", "--folder", "INBOX",
                    f.toString());
            assertThat(r.status).as(r.toString()).isZero();
        }
        Path mbox = dir.resolve("INBOX.mbox.xz");
        long[] members = members(dir.resolve("INBOX.mbox.index"));
        assertThat(members).as("three members, one per import").hasSize(3);
        long middle = (members[1] + members[2]) / 2;
        try (RandomAccessFile f = new RandomAccessFile(mbox.toFile(), "rw")) {
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x5a);
        }
        ChildProgram verify = run("verify", "--dir", dir.toString());
        assertThat(exit(verify)).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out() + verify.err()).as(verify.toString()).contains("INBOX.mbox.xz");

        ChildProgram export = run("export", "--quiet", "--dir", dir.toString(), "--mbox", tmp.resolve("out").toString());
        assertThat(exit(export)).as(export.toString()).isEqualTo(1);
        assertThat(export.err()).as(export.toString()).contains("INBOX");

        try (DemoServer target = DemoServer.start("demo", "demo")) {
            Path report = tmp.resolve("restore.json");
            ChildProgram restore = run("restore", "--quiet", "--dir", dir.toString(), "--host", DemoServer.HOST,
                    "--port", Integer.toString(target.port()), "--security", "none", "--user", "demo",
                    "--password-env", "PW", "--report", report.toString());
            assertThat(exit(restore)).as(restore.toString()).isEqualTo(1);
            String json = Files.readString(report);
            long copied = count(json, "messagesCopied");
            long errors = count(json, "errors");
            assertThat(copied).as(json).isGreaterThanOrEqualTo(2L * thirds).isLessThan(messages.size());
            assertThat(copied + errors).as("each message restored or reported: " + json).isEqualTo(messages.size());
            assertThat(json).contains("INBOX.mbox.xz");
            System.out.println("RELIABILITY files cli-damaged-backup: 3 cases run, lost 0, hangs 0, exit1 3, messages "
                    + messages.size() + ", restored " + copied + ", reported " + errors
                    + ", stacktraces 0, oom 0, heap 64m, seed none");
        }
    }

    @Test
    void aFileWhoseOneLineIsHugeImportsAndVerifiesInA64MegabyteHeap() throws Exception {
        long length = FULL ? 10L << 30 : 200L << 20;
        Path file = tmp.resolve("longline.mbox");
        byte[] head = "From a@b Sat Nov 21 23:39:50 2026\nMessage-ID: <long@line>\nSubject: one line\n\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(head);
            f.setLength(head.length + length); // sparse: the line is NUL bytes, no line end
        }
        Path dir = tmp.resolve("long");
        ChildProgram imp = run("import", "--quiet", "--dir", dir.toString(), "--compress", "zstd", file.toString());
        assertThat(exit(imp)).as(imp.toString()).isZero();
        ChildProgram verify = run("verify", "--dir", dir.toString(), "--max-expansion", "0");
        assertThat(exit(verify)).as(verify.toString()).isZero();
        ChildProgram refused = run("verify", "--dir", dir.toString());
        assertThat(exit(refused)).as("zeros expand further than the default allows: " + refused).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("--max-expansion");
        System.out.println("RELIABILITY files long-line: 1 cases run, lost 0, hangs 0, oom 0, linebytes " + length
                + ", heap 64m, seed none");
    }

    /** The compressed start of each member, from the index's message records (field 4 of an M line: memberStart). */
    private static long[] members(Path index) throws IOException {
        return Files.readAllLines(index, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("M "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[MEMBER_FIELD])).distinct().toArray();
    }

    private static final int MEMBER_FIELD = 10;

    private static long count(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
