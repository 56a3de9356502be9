package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.internal.Decompression;
import io.github.imapbackup.mbox.internal.UnescapingInputStream;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A decompressing reader of a compressed mbox kept open between messages, so reading the messages
 * of a member (or of a whole rebuilt file) in order decompresses it once instead of once per message.
 */
final class MemberCursor {

    private final Path mbox;
    private final long memberStart;
    private final long limit;
    private final InputStream raw;
    private long pos;
    private boolean busy;
    private boolean orphan;
    private boolean closed;

    private MemberCursor(Path mbox, long memberStart, long limit, InputStream raw, long pos) {
        this.mbox = mbox;
        this.memberStart = memberStart;
        this.limit = limit;
        this.raw = raw;
        this.pos = pos;
    }

    /** Opens a cursor at the start of the member of {@code e}, reading no further than {@code limit}. */
    static MemberCursor open(Path mbox, CompressionCodec codec, IndexEntry e, long limit, int maxExpansion)
            throws IOException {
        long start = Math.max(e.memberStart, 0);
        FileChannel ch = FileChannel.open(mbox, StandardOpenOption.READ);
        try {
            ch.position(start);
            InputStream raw = Decompression.open(codec, new BoundedStream(Channels.newInputStream(ch), limit - start) {
                @Override
                public void close() throws IOException {
                    ch.close();
                }
            }, mbox, maxExpansion, Math.max(e.memberUncompressedStart, 0), start);
            return new MemberCursor(mbox, start, limit, raw, Math.max(e.memberUncompressedStart, 0));
        } catch (IOException | RuntimeException x) {
            ch.close();
            throw x;
        }
    }

    /** Returns whether this cursor can give {@code e} by reading forward. */
    boolean serves(IndexEntry e, long currentLimit) {
        return !busy && !closed && memberStart == Math.max(e.memberStart, 0) && pos <= e.offset
                && limit <= currentLimit;
    }

    /** Returns the exact bytes of {@code e}; closing the stream moves the cursor to the message's end. */
    InputStream message(IndexEntry e) throws IOException {
        busy = true;
        try {
            MessageReader.skipFully(raw, e.offset - pos, mbox, e);
            pos = e.offset;
            long fromLine = MessageReader.skipFromLine(raw, mbox, e);
            pos += fromLine;
        } catch (IOException | RuntimeException x) {
            close();
            throw x;
        }
        BoundedStream region = new BoundedStream(raw, e.end - e.offset - fromLineLength(e)) {
            private boolean done;

            @Override
            public void close() throws IOException {
                if (done) {
                    return;
                }
                done = true;
                try {
                    drain();
                    pos = e.end;
                    busy = false;
                } catch (IOException | RuntimeException x) {
                    MemberCursor.this.close();
                    throw x;
                }
                if (orphan) {
                    MemberCursor.this.close();
                }
            }
        };
        return new ExactInputStream(new UnescapingInputStream(region), e.length, mbox, e.offset, e.knownUid());
    }

    private long fromLineLength(IndexEntry e) {
        return pos - e.offset;
    }

    /** Closes now, or when the message being read is closed. */
    void discard() throws IOException {
        if (busy) {
            orphan = true;
        } else {
            close();
        }
    }

    private void close() throws IOException {
        if (!closed) {
            closed = true;
            raw.close();
        }
    }
}
