package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * An mbox or an index deleted or cut short between two runs, at a random (seeded) offset of a
 * random folder, for each codec, through the command line. A lost or cut index: the next backup
 * rebuilds or repairs it and stores nothing twice. A cut or lost mbox (mail the backup held is
 * gone): {@code verify} names the file and the byte offset, {@code export} and {@code backup} fail
 * that folder with exit status 1 naming the file and what to do, never silently; done as they say
 * (the index moved away; a compressed mbox cut short cannot be rebuilt from and is moved away
 * too, as the next message says), the next backup holds every message once, byte for byte: an
 * uncompressed mbox's torn last message is set aside, not indexed as if it were complete.
 */
@Timeout(600)
class DamagedBackupIT {

    static final List<String> CODECS = DiskRig.CODECS;
    private static final List<String> DAMAGE = List.of("index-deleted", "index-cut", "mbox-deleted", "mbox-cut");

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static DiskRig rig;
    private static final Map<String, Path> BACKUPS = new HashMap<>();
    private static final Map<String, Map<String, List<String>>> REFERENCE = new HashMap<>();

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        rig = DiskRig.start(5);
        for (String codec : CODECS) {
            Path dir = shared.resolve("reference-" + codec);
            REFERENCE.put(codec, rig.reference(dir, codec));
            BACKUPS.put(codec, dir);
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @ParameterizedTest
    @FieldSource("CODECS")
    void aDamagedFileIsRepairedOrNamedNeverSilentlyLost(String codec) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        int cases = DiskRig.FULL ? 20 : DAMAGE.size();
        Map<String, List<String>> reference = REFERENCE.get(codec);
        for (int c = 0; c < cases; c++) {
            String damage = DAMAGE.get(DiskRig.FULL ? rnd.nextInt(DAMAGE.size()) : c);
            Path dir = tmp.resolve("case" + c);
            copy(BACKUPS.get(codec), dir);
            List<Path> mboxes = DiskRig.files(dir).stream().filter(p -> p.getFileName().toString().contains(".mbox")
                    && !p.toString().endsWith(".index") && !p.toString().endsWith(".isum")).toList();
            Path mbox = mboxes.get(rnd.nextInt(mboxes.size()));
            Path index = mbox.resolveSibling(mbox.getFileName().toString().replaceFirst("\\.mbox.*", ".mbox.index"));
            Path victim = damage.startsWith("index") ? index : mbox;
            long size = Files.size(victim);
            long cut = damage.endsWith("cut") ? rnd.nextLong(size) : -1;
            String where = codec + ", case " + c + ": " + damage + " " + dir.relativize(victim)
                    + (cut >= 0 ? " at byte " + cut + " of " + size : "");
            if (cut >= 0) {
                try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
                    ch.truncate(cut);
                }
            } else {
                Files.delete(victim);
            }

            if (victim == mbox) {
                CliRun verify = CliRun.run("verify", "--dir", dir.toString());
                assertThat(verify.status).as(where + ": " + verify).isEqualTo(1);
                assertThat(verify.out + verify.err).as(where).contains(mbox.getFileName().toString()).contains("byte");
                CliRun export = CliRun.run("export", "--dir", dir.toString(), "--eml", tmp.resolve("eml" + c).toString());
                assertThat(export.status).as(where + ": " + export).isEqualTo(1);
                assertThat(export.err).as(where).contains(mbox.getFileName().toString());
                CliRun backup = CliRun.run(DiskRig.ENV, rig.backup(dir));
                assertThat(backup.status).as(where + ": " + backup).isEqualTo(1);
                assertThat(backup.err).as(where).contains(mbox.getFileName().toString()).contains("move the index away");
                for (CliRun r : List.of(verify, export, backup)) {
                    assertThat(r.err).as(where).doesNotContain("Exception").doesNotContain("\tat ");
                }
                // as the message says: the index moved away, the next backup rebuilds from what is left
                Files.move(index, tmp.resolve("moved-index" + c));
                if (cut > 0 && !codec.equals("none")) {
                    // a compressed file cut short cannot be read to its end: said so, naming it and what to do
                    CliRun rebuild = CliRun.run(DiskRig.ENV, rig.backup(dir));
                    assertThat(rebuild.status).as(where + ": " + rebuild).isEqualTo(1);
                    assertThat(rebuild.err).as(where).contains(mbox.toString()).contains("move the file away")
                            .doesNotContain("Exception").doesNotContain("\tat ");
                    Files.move(mbox, tmp.resolve("moved-mbox" + c));
                }
            }
            CliRun again = CliRun.run(DiskRig.ENV, rig.backup(dir));
            assertThat(again.status).as(where + ": " + again).isZero();
            assertThat(DiskRig.contents(dir)).as(where + ": every message once, byte for byte").isEqualTo(reference);
            CliRun verify = CliRun.run("verify", "--dir", dir.toString());
            assertThat(verify.status).as(where + ": " + verify).isZero();
        }
        DiskRig.summary("backup,verify,export", "damaged-between-runs-" + codec, cases, "", seed);
    }

    private static void copy(Path from, Path to) throws Exception {
        for (Path f : DiskRig.files(from)) {
            Path t = to.resolve(from.relativize(f).toString());
            Files.createDirectories(t.getParent());
            Files.copy(f, t);
        }
    }
}
