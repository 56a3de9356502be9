package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import java.io.IOException;
import org.eclipse.angus.mail.iap.ByteArray;

/** The exact bytes of one message, fetched in chunks with {@code UID FETCH n (BODY.PEEK[]<o.s>)}. */
final class BodyStream extends ChunkInputStream {

    /** Fetches {@code size} bytes of a message from {@code offset} on. */
    @FunctionalInterface
    interface Chunks {
        ByteArray chunk(long uid, long offset, int size) throws BackupException;
    }

    private final Chunks folder;
    private final long uid;
    private final int chunkSize;
    private long offset;
    private boolean last;
    private boolean closed;

    /** Fetches the first chunk at once, so that a vanished message fails here. */
    BodyStream(Chunks folder, long uid, int chunkSize) throws BackupException {
        this.folder = folder;
        this.uid = uid;
        this.chunkSize = chunkSize;
        fill();
    }

    private void fill() throws BackupException {
        ByteArray bytes = folder.chunk(uid, offset, chunkSize);
        chunk(bytes.getBytes(), bytes.getStart(), bytes.getCount());
        offset += bytes.getCount();
        last = bytes.getCount() < chunkSize;
    }

    @Override
    boolean nextChunk() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (last) {
            return false;
        }
        fill();
        return true;
    }

    @Override
    public void close() {
        closed = true;
        release();
    }
}
