package io.github.imapbackup.mbox.format;

import io.github.imapbackup.mbox.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/** The content stream of a reader's current entry; supports mark/reset by recording what is read. */
final class EntryContent extends InputStream {

    private final MboxReader reader;
    private boolean current = true;
    private final byte[] one = new byte[1];
    private byte[] replay;
    private int replayLen;
    private int replayPos;
    private int markLimit = -1;

    EntryContent(MboxReader reader) {
        this.reader = reader;
    }

    void invalidate() {
        current = false;
    }

    @Override
    public int read() throws IOException {
        check();
        if (replayLen == 0 && markLimit < 0) {
            int c = reader.quickByte();
            if (c >= 0) {
                return c;
            }
        }
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        check();
        if (len == 0) {
            return 0;
        }
        if (replayPos < replayLen) {
            int k = Math.min(len, replayLen - replayPos);
            System.arraycopy(replay, replayPos, b, off, k);
            replayPos += k;
            if (markLimit < 0 && replayPos == replayLen) {
                replayPos = 0;
                replayLen = 0;
            }
            return k;
        }
        int n = reader.readContent(b, off, len);
        if (markLimit >= 0 && n > 0) {
            if (replayLen + n > markLimit) {
                markLimit = -1; // the mark is no longer valid
                replayLen = 0;
                replayPos = 0;
            } else {
                if (replay == null || replay.length < replayLen + n) {
                    replay = Arrays.copyOf(replay == null ? new byte[0] : replay,
                            Math.max(replayLen + n, Math.min(markLimit, 2 * replayLen + n)));
                }
                System.arraycopy(b, off, replay, replayLen, n);
                replayLen += n;
                replayPos = replayLen;
            }
        }
        return n;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readlimit) {
        if (replayPos < replayLen) {
            System.arraycopy(replay, replayPos, replay, 0, replayLen - replayPos);
        }
        replayLen -= replayPos;
        replayPos = 0;
        markLimit = Math.max(readlimit, replayLen);
    }

    @Override
    public void reset() throws IOException {
        check();
        if (markLimit < 0) {
            throw new IOException("reset without a valid mark");
        }
        replayPos = 0;
    }

    @Override
    public long skip(long n) throws IOException {
        check();
        if (replayPos < replayLen || markLimit >= 0) {
            return Streams.skipByReading(this, n);
        }
        return Streams.skip(n, max -> reader.readContent(null, 0, (int) Math.min(max, Integer.MAX_VALUE)));
    }

    @Override
    public int available() {
        return current ? replayLen - replayPos + reader.owedBytes() : 0;
    }

    private void check() throws IOException {
        if (!current) {
            throw new IOException("this message's content is gone: the reader has moved on");
        }
        reader.ensureOpen();
    }

    @Override
    public void close() {
        // The reader owns the file.
    }
}
