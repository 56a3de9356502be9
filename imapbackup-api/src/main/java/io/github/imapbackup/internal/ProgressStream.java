package io.github.imapbackup.internal;

import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderInfo;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.BooleanSupplier;

/**
 * Reports bytes read to the listener, remembers a failure of the source stream (a lost connection,
 * or bytes that no longer match what the source listed), and
 * stops a message in the middle when the run is cancelled (the archive then drops the partial
 * message; it is fetched again by the next run).
 */
final class ProgressStream extends FilterInputStream {

    private static final int REPORT_EVERY = 64 * 1024;

    private final SafeListener listener;
    private final FolderInfo folder;
    private long unreported;
    private ConnectionException connectionFailure;
    /** Another failure of the source stream (not of the reader), or null. */
    private IOException sourceFailure;
    private final BooleanSupplier cancelled;
    private boolean stoppedByCancel;

    ProgressStream(InputStream in, SafeListener listener, FolderInfo folder, BooleanSupplier cancelled) {
        super(in);
        this.listener = listener;
        this.folder = folder;
        this.cancelled = cancelled;
    }

    /** Returns whether a read was refused because the run was cancelled. */
    boolean stoppedByCancel() {
        return stoppedByCancel;
    }

    private void checkCancelled() throws InterruptedIOException {
        if (cancelled.getAsBoolean()) {
            stoppedByCancel = true;
            throw new InterruptedIOException("the backup was cancelled in the middle of a message");
        }
    }

    /** Returns the connection failure the source stream threw, or null. */
    ConnectionException connectionFailure() {
        return connectionFailure;
    }

    /** Returns another failure the source stream threw (e.g. its bytes no longer match), or null. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    @Override
    public int read() throws IOException {
        checkCancelled();
        int b;
        try {
            b = in.read();
        } catch (ConnectionException e) {
            connectionFailure = e;
            throw e;
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkCancelled();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (ConnectionException e) {
            connectionFailure = e;
            throw e;
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        if (s > 0) {
            count(s);
        }
        return s;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) {
        unreported += n;
        if (unreported >= REPORT_EVERY) {
            flush();
        }
    }

    private void flush() {
        if (unreported > 0) {
            listener.bytesTransferred(folder, unreported);
            unreported = 0;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
        super.close();
    }
}
