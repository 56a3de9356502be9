package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Shared parts of the codecs: availability check, signature matching, buffering. */
abstract class AbstractCodec implements CompressionCodec {

    static final int BUFFER = 1 << 16;

    private final String name;
    private final String suffix;
    private final byte[] magic;
    private final String library;

    AbstractCodec(String name, String suffix, byte[] magic, String library) {
        this.name = name;
        this.suffix = suffix;
        this.magic = magic.clone();
        this.library = library;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String suffix() {
        return suffix;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public final boolean matches(byte[] signature, int length) {
        if (magic.length == 0 || length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (signature[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public final OutputStream compress(OutputStream out) throws IOException {
        requireAvailable();
        return newCompressor(new BufferedOutputStream(out, BUFFER));
    }

    @Override
    public final InputStream decompress(InputStream in) throws IOException {
        requireAvailable();
        return newDecompressor(new BufferedInputStream(in, BUFFER));
    }

    abstract OutputStream newCompressor(OutputStream out) throws IOException;

    abstract InputStream newDecompressor(InputStream in) throws IOException;

    private void requireAvailable() throws CodecUnavailableException {
        if (!isAvailable()) {
            throw new CodecUnavailableException(name, library);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
