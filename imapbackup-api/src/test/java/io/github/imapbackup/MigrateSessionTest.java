package io.github.imapbackup;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deletions of a {@link MigrateSession}'s public builder: carried into the run and by
 * {@code toBuilder()}, and {@code deleteFromTarget} refused where it would delete what host1 was
 * never asked for (a filtered source, folders only).
 */
@Timeout(20)
class MigrateSessionTest {

    private final MemorySource host1 = new MemorySource("host1");

    @TempDir
    Path dir;

    private static byte[] message(String id) {
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id + "\r\n\r\nbody\r\n").getBytes(ISO_8859_1);
    }

    /** host1 as seen through a filter that selects everything (as {@code --maxage 100000} would). */
    private MessageSource filtered() {
        return new MessageSource() {
            @Override
            public SourceConnection connect() throws BackupException {
                return host1.connect();
            }

            @Override
            public boolean filtered() {
                return true;
            }

            @Override
            public String describe() {
                return "host1, filtered";
            }
        };
    }

    @Test
    void deletionsAreOffByDefaultAndCarriedByToBuilder() {
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2"));
        MigrateSession plain = MigrateSession.builder().source(host1).target(host2).build();
        assertThat(plain.deleteFromTarget() || plain.deleteFromSource() || plain.deleteTargetFolders()).isFalse();

        MigrateSession all = plain.toBuilder().deleteFromTarget(true).deleteFromSource(true).deleteTargetFolders(true)
                .build();
        MigrateSession copy = all.toBuilder().build();

        assertThat(copy.deleteFromTarget()).isTrue();
        assertThat(copy.deleteFromSource()).isTrue();
        assertThat(copy.deleteTargetFolders()).isTrue();
        assertThat(all.toBuilder().deleteFromSource(false).build().deleteFromSource()).isFalse();
    }

    @Test
    void deleteFromTargetRemovesHost2sSurplusCopiesCounted() throws Exception {
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2"));
        MemorySource earlier = new MemorySource("earlier");
        MemoryFolder old = earlier.folder("INBOX");
        for (String id : new String[] {"a", "b", "b", "c"}) {
            old.add(message(id));
        }
        MigrateSession.builder().source(earlier).target(host2).build().run();
        host1.folder("INBOX").add(message("a"));
        host1.folder("INBOX").add(message("b"));

        BackupReport r = MigrateSession.builder().source(host1).target(host2).deleteFromTarget(true).build().run();

        assertThat(r.totals().onlyOnTarget()).isEqualTo(1);
        assertThat(r.totals().duplicatesOnTarget()).isEqualTo(1);
        assertThat(r.totals().deletedFromTarget()).isEqualTo(2);
    }

    @Test
    void deleteFromTargetIsRefusedWithAFilteredSourceOrFoldersOnly() {
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2"));
        MigrateSession.Builder filtered = MigrateSession.builder().source(filtered()).target(host2).deleteFromTarget(true);
        assertThatThrownBy(filtered::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--delete2").hasMessageContaining("filtered source")
                .hasMessageContaining("every message the filter leaves out");
        assertThat(filtered.deleteFromTarget(false).deleteFromSource(true).deleteTargetFolders(true).build()
                .deleteFromSource()).as("delete1 and delete2folders do not depend on the filter").isTrue();

        MigrateSession.Builder foldersOnly = MigrateSession.builder().source(host1).target(host2).justFolders(true)
                .deleteFromTarget(true);
        assertThatThrownBy(foldersOnly::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--justfolders");
    }
}
