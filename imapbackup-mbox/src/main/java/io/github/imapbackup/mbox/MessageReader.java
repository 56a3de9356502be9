package io.github.imapbackup.mbox;

import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.mbox.internal.UnescapingInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the exact bytes of one message of an uncompressed mbox; helpers shared with {@link MemberCursor}. */
final class MessageReader {

    private MessageReader() { }

    /** Opens a message of an uncompressed mbox: seek, skip the From_ line, unescape, bound. */
    static InputStream open(Path mbox, IndexEntry e) throws IOException {
        FileChannel ch = FileChannel.open(mbox, StandardOpenOption.READ);
        InputStream raw;
        try {
            ch.position(e.offset);
            // small: it serves the From_ line; the unescaping stream's larger reads go past it
            raw = new BufferedInputStream(Channels.newInputStream(ch), 8192);
        } catch (IOException | RuntimeException x) {
            ch.close();
            throw x;
        }
        try {
            skipFromLine(raw, mbox, e);
        } catch (IOException | RuntimeException x) {
            raw.close();
            throw x;
        }
        return new ExactInputStream(new UnescapingInputStream(raw, buffer(e)), e.length, mbox, e.offset, e.knownUid());
    }

    /** {@return a buffer size for reading {@code e}: 64 KiB, or less for a smaller message (a message opened costs no more)} */
    private static int buffer(IndexEntry e) {
        return (int) Math.min(1 << 16, Math.max(4096, e.length + 512));
    }

    static void skipFully(InputStream in, long n, Path mbox, IndexEntry e) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IntegrityException(mbox, e.offset, e.knownUid(), "the mbox ends before the message");
                }
                k = 1;
            }
            left -= k;
        }
    }

    /** Reads the From_ line, checking that it is one; returns its length with the LF. */
    static long skipFromLine(InputStream in, Path mbox, IndexEntry e) throws IOException {
        byte[] from = {'F', 'r', 'o', 'm', ' '};
        for (byte b : from) {
            int c = in.read();
            if (c != b) {
                throw new IntegrityException(mbox, e.offset, e.knownUid(), "no From_ line where the index puts the message");
            }
        }
        long n = from.length;
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IntegrityException(mbox, e.offset, e.knownUid(), "the mbox ends inside a From_ line");
            }
            n++;
        }
        return n + 1;
    }
}
