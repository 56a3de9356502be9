package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class PartialFileTest {

    @TempDir
    Path dir;

    @Test
    void aLeftoverOfAKilledRunIsReplacedAndTheFileAppearsOnlyWhenComplete() throws Exception {
        Path target = dir.resolve("INBOX.mbox");
        Path leftover = dir.resolve("INBOX.mbox" + PartialFile.SUFFIX);
        Files.writeString(leftover, "half a message from a run that was killed");
        try (PartialFile p = PartialFile.start(target); OutputStream out = p.out()) {
            out.write("complete".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(target).doesNotExist();
            p.finish(true);
        }
        assertThat(target).hasContent("complete");
        assertThat(leftover).doesNotExist();
    }

    @Test
    void anUnfinishedFileIsRemovedAndNothingElseIsTouched() throws Exception {
        Path target = dir.resolve("a.eml");
        Path other = dir.resolve("a.eml.tmp");
        Files.writeString(other, "not ours");
        try (PartialFile p = PartialFile.start(target)) {
            p.out().write('x');
        }
        assertThat(dir.resolve("a.eml" + PartialFile.SUFFIX)).doesNotExist();
        assertThat(target).doesNotExist();
        assertThat(other).hasContent("not ours");
    }

    @Test
    void aTemporaryFileBeingWrittenIsNotTakenOver() throws Exception {
        Path target = dir.resolve("b.eml");
        PartialFile first = PartialFile.start(target);
        try {
            assertThatThrownBy(() -> PartialFile.start(target)).isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessageContaining("another export is writing it");
        } finally {
            first.close();
        }
    }

    @Test
    void aSymbolicLinkUnderTheTemporaryNameIsRefused() throws Exception {
        Path target = dir.resolve("c.eml");
        Path elsewhere = Files.writeString(dir.resolve("precious"), "keep");
        Files.createSymbolicLink(dir.resolve("c.eml" + PartialFile.SUFFIX), elsewhere);
        assertThatThrownBy(() -> PartialFile.start(target)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(elsewhere).hasContent("keep");
    }
}
