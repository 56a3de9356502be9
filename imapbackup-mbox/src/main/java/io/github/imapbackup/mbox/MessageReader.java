package io.github.imapbackup.mbox;

import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the exact bytes of one indexed message: seek (or decompress from its member), skip the From_ line, unescape, bound. */
final class MessageReader {

    private MessageReader() { }

    /**
     * Opens a message.
     *
     * @param physicalLimit the committed (or flushed) length of the mbox file: bytes after it are
     *     never read, so an uncommitted or torn tail cannot disturb a decompressor
     */
    static InputStream open(Path mbox, CompressionCodec codec, IndexEntry e, long physicalLimit) throws IOException {
        FileChannel ch = FileChannel.open(mbox, StandardOpenOption.READ);
        InputStream raw;
        try {
            if (codec.suffix().isEmpty()) {
                ch.position(e.offset);
                raw = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
            } else {
                long start = Math.max(e.memberStart, 0);
                long logicalStart = Math.max(e.memberUncompressedStart, 0);
                ch.position(start);
                raw = codec.decompress(new BoundedStream(Channels.newInputStream(ch), physicalLimit - start) {
                    @Override
                    public void close() throws IOException {
                        ch.close();
                    }
                });
                skipFully(raw, e.offset - logicalStart, mbox, e);
            }
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
        return new ExactInputStream(new UnescapingInputStream(raw), e.length, mbox, e.offset, e.knownUid());
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

    /** Reads the From_ line, checking that it is one. */
    static void skipFromLine(InputStream in, Path mbox, IndexEntry e) throws IOException {
        byte[] from = {'F', 'r', 'o', 'm', ' '};
        for (byte b : from) {
            int c = in.read();
            if (c != b) {
                throw new IntegrityException(mbox, e.offset, e.knownUid(), "no From_ line where the index puts the message");
            }
        }
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IntegrityException(mbox, e.offset, e.knownUid(), "the mbox ends inside a From_ line");
            }
        }
    }
}
