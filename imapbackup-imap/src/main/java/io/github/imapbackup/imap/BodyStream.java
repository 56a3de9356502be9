package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.eclipse.angus.mail.iap.ByteArray;

/** The exact bytes of one message, fetched in chunks with {@code UID FETCH n (BODY.PEEK[]<o.s>)}. */
final class BodyStream extends InputStream {

    private final ImapFolder folder;
    private final long uid;
    private final int chunkSize;
    private byte[] buf;
    private int pos;
    private int end;
    private long offset;
    private boolean last;
    private boolean closed;

    /** Fetches the first chunk at once, so that a vanished message fails here. */
    BodyStream(ImapFolder folder, long uid, int chunkSize) throws BackupException {
        this.folder = folder;
        this.uid = uid;
        this.chunkSize = chunkSize;
        fill();
    }

    private void fill() throws BackupException {
        ByteArray bytes = folder.chunk(uid, offset, chunkSize);
        buf = bytes.getBytes();
        pos = bytes.getStart();
        end = pos + bytes.getCount();
        offset += bytes.getCount();
        last = bytes.getCount() < chunkSize;
    }

    private boolean ensure() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (pos >= end) {
            if (last) {
                return false;
            }
            fill();
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return ensure() ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!ensure()) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return closed ? 0 : end - pos;
    }

    @Override
    public void close() {
        closed = true;
        buf = null;
        pos = 0;
        end = 0;
    }
}
