package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A crash at each step of an index rewrite (compaction, or a folder whose delimiter changed) leaves
 * a state the next open finishes: a torn or whole temporary file beside the old index, or the new
 * index renamed into place with nothing else done.
 */
@Timeout(60)
class IndexRewriteCrashTest {

    private static final FolderInfo DOTTED = new FolderInfo("A.B", ".", Set.of(), true);
    private static final FolderInfo SLASHED = new FolderInfo("A/B", "/", Set.of(), true);

    @TempDir
    Path dir;

    private Path index() {
        return dir.resolve("A/B.mbox.index");
    }

    /** Runs the rewrite of an open up to the rename, then dies: the locks go, nothing else is done. */
    private void rewriteAndDie(FolderInfo folder) throws IOException {
        LockedIndex locked = LockedIndex.acquire(index(), folder.name());
        try {
            // read through the locked channel: closing another descriptor of the file would drop the lock
            IndexLoader.Loaded loaded = IndexLoader.load(
                    new BufferedInputStream(Channels.newInputStream(locked.channel())), locked.file());
            FolderIndex index = loaded.index();
            IndexRecord.Header header = new IndexRecord.Header(IndexFormat.VERSION, index.header.codec(),
                    folder.delimiter(), folder.name(), index.header.since(), index.header.specialUse());
            IndexCompactor.compact(locked, index, header, loaded.records());
        } finally {
            locked.lock().release();
            locked.channel().close();
        }
    }

    @ParameterizedTest(name = "{0}, crash {1}")
    @CsvSource({
        "compaction, while the temporary file is written",
        "compaction, before the rename",
        "compaction, after the rename",
        "new delimiter, while the temporary file is written",
        "new delimiter, before the rename",
        "new delimiter, after the rename",
    })
    void theNextOpenFinishesARewriteCutShort(String rewrite, String crash) throws Exception {
        MboxStore store = StoreFixtures.adopted(dir, DOTTED, 6);
        FolderInfo folder = rewrite.equals("compaction") ? DOTTED : SLASHED;
        byte[] mboxBytes = Files.readAllBytes(dir.resolve("A/B.mbox"));
        byte[] old = Files.readAllBytes(index());
        Path temp = dir.resolve("A/B.mbox.itmp");
        switch (crash) {
            case "while the temporary file is written" -> Files.write(temp, Arrays.copyOf(old, old.length / 2));
            case "before the rename" -> Files.write(temp, old);
            default -> rewriteAndDie(folder);
        }
        byte[] afterCrash = Files.readAllBytes(index());
        if (crash.equals("after the rename")) {
            assertThat(afterCrash.length).as("rewritten").isLessThan(old.length);
            assertThat(new String(afterCrash, UTF_8)).startsWith(header(folder));
        } else {
            assertThat(afterCrash).as("the old index").isEqualTo(old);
        }

        try (FolderArchive a = store.open(folder)) {
            assertThat(a.messages()).hasSize(3);
            for (ArchivedMessage m : a.messages()) {
                try (InputStream in = a.openMessage(m)) {
                    assertThat(in.readAllBytes()).isEqualTo(StoreFixtures.adoptedMessage((int) m.uid()));
                }
            }
        }
        byte[] rewritten = Files.readAllBytes(index());
        assertThat(rewritten.length).as("compacted").isLessThan(old.length);
        assertThat(new String(rewritten, UTF_8)).startsWith(header(folder));
        if (crash.equals("after the rename")) {
            assertThat(rewritten).as("nothing left to do").isEqualTo(afterCrash);
        }
        // a second open changes nothing more
        store.open(folder).close();
        assertThat(Files.readAllBytes(index())).isEqualTo(rewritten);
        assertThat(Files.readAllBytes(dir.resolve("A/B.mbox"))).isEqualTo(mboxBytes);
        assertThat(files()).containsExactly("A/B.mbox", "A/B.mbox.index");
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        assertThat(store.folders()).extracting(FolderInfo::name).containsExactly(folder.name());
    }

    private static String header(FolderInfo folder) {
        return "H imapbackup-index " + IndexFormat.VERSION + " none " + folder.delimiter() + " " + folder.name() + " ";
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals(DirectoryLayout.RECORD)).sorted().toList();
        }
    }
}
