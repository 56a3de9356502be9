package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoreFixtures;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Expected;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Foreign compressed mbox files, written by the system tools (gzip, bzip2, xz, zstd; one member
 * per part) and then damaged at seeded random offsets: cut short, a byte changed, garbage between
 * two members, a wrong file name suffix. Import never throws and never stores a message that was
 * not in the file: a damaged file fails its folder with an error naming the file and the
 * compressed byte reached, and nothing of it is stored; a change the format does not notice (a
 * header byte) imports every message intact; a wrong suffix imports everything. With
 * -Preliability 50 damages of each kind per codec, else 2.
 */
@Timeout(300)
class DamagedCompressedFileTest {

    private static final boolean FULL = Boolean.getBoolean("imapbackup.reliability");
    private static final int ROUNDS = FULL ? 50 : 2;
    private static final String[] KINDS = {"truncated", "flipped", "garbage-between-members", "wrong-suffix"};

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void importOfADamagedFileFailsItsFolderNamingTheFileAndStoresNothingOfIt(String tool) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " is not installed");
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        int cases = 0;
        int failed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (String kind : KINDS) {
                String what = tool + " " + kind + " round " + round + ", seed " + seed;
                List<byte[]> parts = new ArrayList<>();
                List<String> originals = new ArrayList<>();
                int members = 1 + rnd.nextInt(3);
                for (int m = 0; m < members; m++) {
                    ByteArrayOutputStream plain = new ByteArrayOutputStream();
                    for (int i = 0; i < 1 + rnd.nextInt(20); i++) {
                        byte[] msg = ("Message-ID: <" + round + "." + m + "." + i + "@damage>\n").getBytes(
                                StandardCharsets.US_ASCII);
                        byte[] body = body(rnd);
                        plain.writeBytes(("From a@b Sat Nov 21 23:39:50 2026\n").getBytes(StandardCharsets.US_ASCII));
                        plain.writeBytes(msg);
                        plain.writeBytes(body);
                        plain.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
                        byte[] whole = new byte[msg.length + body.length + 1];
                        System.arraycopy(msg, 0, whole, 0, msg.length);
                        System.arraycopy(body, 0, whole, msg.length, body.length);
                        whole[whole.length - 1] = '\n';
                        originals.add(Expected.sha256(whole));
                    }
                    parts.add(compress(tool, plain.toByteArray()));
                }
                byte[] file = damage(kind, parts, rnd);
                String name = "f" + cases + (kind.equals("wrong-suffix") ? ".mbox.bz2" : ".mbox");
                if (tool.equals("bzip2") && kind.equals("wrong-suffix")) {
                    name = "f" + cases + ".mbox.gz";
                }
                Path f = dir.resolve(name);
                Files.write(f, file);
                MboxStore store = MboxStore.builder(dir.resolve("store" + cases)).build();
                BackupReport r = MboxImporter.builder(store).extractor(StoreFixtures.EXTRACTOR).build()
                        .importFiles(List.of(f), "INBOX");
                List<String> stored = StoredShas.of(store, StoreFixtures.INBOX);
                cases++;
                if (r.allErrors().isEmpty()) {
                    assertThat(kind).as(what + ": only a change the format cannot see imports")
                            .isIn("flipped", "wrong-suffix");
                    assertThat(stored).as(what + ": every message intact").containsExactlyInAnyOrderElementsOf(originals);
                    continue;
                }
                failed++;
                assertThat(kind).as(what + ": " + r.allErrors()).isNotEqualTo("wrong-suffix");
                ReportError e = r.allErrors().get(0);
                // a file cut shorter than its format's signature (a zstd file of 1-3 bytes) is read,
                // and refused, as a plain mbox
                boolean signature = CodecRegistry.installed().detect(file, file.length) != Codecs.NONE;
                assertThat(e.message()).as(what).contains(f.toString(), "at byte", "Nothing of")
                        .contains(signature ? "compressed byte" : "does not start with a From_ line");
                assertThat(stored).as(what + ": nothing of a damaged file is stored").isEmpty();
            }
        }
        System.out.println("RELIABILITY files damaged-import-" + tool + ": " + cases + " cases run, lost 0, duplicated 0,"
                + " hangs 0, failedclearly " + failed + ", importedintact " + (cases - failed) + ", garbagestored 0,"
                + " crashes 0, seed " + seed);
    }

    /** Header and body lines of plain text, 8-bit bytes included; no line that an mbox reader treats specially. */
    static byte[] body(Random rnd) {
        StringBuilder b = new StringBuilder("Subject: s").append(rnd.nextInt()).append("\n\n");
        int lines = rnd.nextInt(400);
        for (int i = 0; i < lines; i++) {
            for (int w = rnd.nextInt(12); w > 0; w--) {
                b.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
            }
            b.append(rnd.nextInt(1 << 20)).append(rnd.nextBoolean() ? "\n" : "\u00e9\n");
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String[] WORDS = {"backup", "mail", "server", "folder", "message", "restore", "the", "of"};

    static byte[] damage(String kind, List<byte[]> parts, Random rnd) {
        byte[] all = concat(parts);
        switch (kind) {
            case "truncated" -> {
                return Arrays.copyOf(all, 1 + rnd.nextInt(all.length - 1));
            }
            case "flipped" -> {
                byte[] b = all.clone();
                int at = rnd.nextInt(b.length);
                b[at] = (byte) (b[at] ^ (1 + rnd.nextInt(255)));
                return b;
            }
            case "garbage-between-members" -> {
                List<byte[]> withGarbage = new ArrayList<>(parts);
                byte[] garbage = new byte[1 + rnd.nextInt(64)];
                rnd.nextBytes(garbage);
                withGarbage.add(Math.max(1, parts.size() - 1), garbage);
                if (parts.size() == 1) {
                    withGarbage.add(parts.get(0));
                }
                return concat(withGarbage);
            }
            default -> {
                return all;
            }
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Compresses with the system tool, as foreign files are made. */
    static byte[] compress(String tool, byte[] plain) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/" + tool, "-c", "-q").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread feed = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(plain);
            } catch (IOException e) {
                // the tool ended early: its exit status says so
            }
        });
        feed.start();
        byte[] out = p.getInputStream().readAllBytes();
        feed.join();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
