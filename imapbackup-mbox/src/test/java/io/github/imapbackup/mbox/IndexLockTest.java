package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lock of a folder index stays with the file its path names while an index rewrite (compaction,
 * new name or delimiter) renames a new file over it: a writer that opened the old file just before
 * the rename, and locks it just after this process released it, must not get in.
 */
@Timeout(60)
class IndexLockTest {

    private static final FolderInfo DOTTED = new FolderInfo("A.B", ".", Set.of(), true);
    private static final FolderInfo SLASHED = new FolderInfo("A/B", "/", Set.of(), true);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"compaction", "new delimiter"})
    void aWriterThatOpenedTheReplacedIndexDoesNotGetIn(String rewrite) throws Exception {
        boolean compaction = rewrite.equals("compaction");
        MboxStore store = StoreFixtures.adopted(dir, DOTTED, compaction ? 6 : 0);
        Path index = dir.resolve("A/B.mbox.index");
        FolderInfo folder = compaction ? DOTTED : SLASHED;
        List<FolderArchive> first = new ArrayList<>();
        // the second writer opens the index file; before it locks it, the first writer opens the
        // folder, rewrites the index (rename over the opened file) and goes on working
        assertThatThrownBy(() -> LockedIndex.acquire(index, folder.name(), () -> {
            try {
                if (first.isEmpty()) {
                    first.add(store.open(folder));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).isInstanceOf(FolderException.class).hasMessageContaining("open for writing");
        assertThat(first).hasSize(1);
        try (FolderArchive a = first.get(0)) {
            assertThat(a.messages()).hasSize(3);
            byte[] m = "Message-ID: <m4@x>\r\n\r\nbody 4\r\n".getBytes(ISO_8859_1);
            a.append(StoreFixtures.newMessage(99, 4, m), new ByteArrayInputStream(m));
            a.commit();
        }
        // once the first writer is done, the next one gets the index the path names, with its work
        LockedIndex next = LockedIndex.acquire(index, folder.name());
        try {
            assertThat(next.channel().size()).isEqualTo(Files.size(index));
        } finally {
            next.lock().release();
            next.channel().close();
        }
        try (FolderArchive a = store.open(folder)) {
            assertThat(a.messages()).hasSize(4);
        }
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
    }
}
