package io.github.imapbackup.mbox;

import io.github.imapbackup.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Exactly {@code length} bytes of the wrapped stream (fewer is an {@link IntegrityException}); closing closes it. */
final class ExactInputStream extends BoundedStream {

    private final Path file;
    private final long offset;
    private final long uid;

    ExactInputStream(InputStream in, long length, Path file, long offset, long uid) {
        super(in, length);
        this.file = file;
        this.offset = offset;
        this.uid = uid;
    }

    @Override
    int endedEarly() throws IOException {
        throw new IntegrityException(file, offset, uid, "the message is " + left()
                + " bytes shorter than its index records");
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), left());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
