package io.github.imapbackup.mbox;

import io.github.imapbackup.spi.CompressionCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A codec for tests, written against the bare SPI as a user would: each member is a 4-byte magic,
 * then chunks (a 4-byte length and that many bytes XORed with a key), then a chunk of length 0.
 * Known only to a store that is given it.
 */
class XorCodec implements CompressionCodec {

    private static final int CHUNK = 8192;

    private final String name;
    private final byte[] magic;
    private final int key;

    /**
     * A codec of another name and key, suffix {@code .<name>}.
     *
     * @param name the name and suffix
     * @param key the XOR key
     */
    XorCodec(String name, int key) {
        this.name = name;
        this.key = key;
        this.magic = ("X" + name.charAt(name.length() - 1) + "R" + (char) key).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String suffix() {
        return "." + name;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public boolean matches(byte[] signature, int length) {
        return length >= magic.length && Arrays.equals(signature, 0, magic.length, magic, 0, magic.length);
    }

    @Override
    public OutputStream compress(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(magic);
        return new OutputStream() {
            private final byte[] buf = new byte[CHUNK];
            private int n;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                if (n == buf.length) {
                    flushChunk();
                }
                buf[n++] = (byte) (b ^ key);
            }

            private void flushChunk() throws IOException {
                if (n > 0) {
                    data.writeInt(n);
                    data.write(buf, 0, n);
                    n = 0;
                }
            }

            @Override
            public void flush() throws IOException {
                flushChunk();
                data.flush();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    flushChunk();
                    data.writeInt(0);
                    data.close();
                }
            }
        };
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        return new InputStream() {
            private int left = -1; // bytes left in the chunk; -1 between members

            @Override
            public int read() throws IOException {
                while (left <= 0) {
                    if (left < 0 && !member()) {
                        return -1;
                    }
                    left = data.readInt();
                    if (left < 0) {
                        throw new IOException("bad chunk length " + left);
                    }
                    if (left == 0) {
                        left = -1;
                    }
                }
                left--;
                return (data.readUnsignedByte() ^ key) & 0xff;
            }

            private boolean member() throws IOException {
                int first = data.read();
                if (first < 0) {
                    return false;
                }
                byte[] m = new byte[magic.length];
                m[0] = (byte) first;
                try {
                    data.readFully(m, 1, m.length - 1);
                } catch (EOFException e) {
                    throw new IOException("truncated member header", e);
                }
                if (!Arrays.equals(m, magic)) {
                    throw new IOException("not a " + name + " member");
                }
                return true;
            }

            @Override
            public void close() throws IOException {
                data.close();
            }
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
