package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The read side of a folder archive: opens the exact bytes of one indexed message, keeping the
 * decompressing reader of a compressed mbox open between messages read in order.
 */
final class ArchiveReader {

    private final Path mboxFile;
    private final CompressionCodec codec;
    private final boolean compressed;
    /** The end of the committed mbox, how far a read-only archive reads. */
    private final long committedEnd;
    /** The mbox channel the writer appends to (reads go up to its position), or null when read-only. */
    private final FileChannel writing;
    /** The decompressing reader of the last {@link #open} of a compressed mbox. */
    private MemberCursor cursor;
    private final int maxExpansion;

    ArchiveReader(Path mboxFile, CompressionCodec codec, long committedEnd, FileChannel writing, int maxExpansion) {
        this.maxExpansion = maxExpansion;
        this.mboxFile = mboxFile;
        this.codec = codec;
        this.compressed = !codec.suffix().isEmpty();
        this.committedEnd = committedEnd;
        this.writing = writing;
    }

    /** Opens the exact bytes of {@code e}; a member still being written must be finished first. */
    InputStream open(IndexEntry e) throws BackupException {
        try {
            long limit = writing == null ? committedEnd : writing.position();
            if (!compressed) {
                return MessageReader.open(mboxFile, e);
            }
            if (cursor == null || !cursor.serves(e, limit)) {
                if (cursor != null) {
                    cursor.discard();
                    cursor = null;
                }
                cursor = MemberCursor.open(mboxFile, codec, e, limit, maxExpansion);
            }
            return cursor.message(e);
        } catch (BackupException x) {
            throw x;
        } catch (IOException x) {
            throw new IntegrityException(mboxFile, e.offset, e.knownUid(), "cannot read the message: " + x.getMessage());
        }
    }

    /** Closes the decompressing reader, now or when the message being read is closed. */
    void close() throws IOException {
        if (cursor != null) {
            cursor.discard();
        }
    }
}
