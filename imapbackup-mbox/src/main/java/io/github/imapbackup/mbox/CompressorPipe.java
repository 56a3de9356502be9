package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an open compressed member from a thread of its own ({@link CompressorThreads}; see
 * {@code docs/CODECS.md}, "Compressing on its own thread"): the writer fills reused buffers and
 * hands them over; the pipe's thread writes them, in order and unchanged, to the compressor, so the
 * compressor sees exactly the bytes it would see without the pipe. Bounded: at most {@link #BUFFERS} buffers of {@link #BUFFER_SIZE} bytes,
 * allocated as needed; a writer that finds none free waits for the compressor.
 *
 * <p>A failure of the compressor (a full disk, a codec error) is thrown, as the compressor threw it,
 * by the writer's next {@code write}, {@code flush} or {@code close}, and only once (as a compressor
 * that throws a write's failure again when closed is told it once). {@link #close()} finishes the
 * member and returns when it is written; {@link #abort()} drops it without writing anything more.
 * Either way the pipe's work has ended when they return (its thread waits idle for the next member).
 * Not thread-safe: one writer.
 */
final class CompressorPipe extends OutputStream {

    /** How many buffers at most are filled or being compressed. */
    static final int BUFFERS = 4;
    /** The size of each buffer. */
    static final int BUFFER_SIZE = 128 * 1024;
    /** How many buffers are kept for the next pipes when pipes end (members are short-lived). */
    static final int SPARES = 16;
    /** The name every pipe's thread starts with. */
    static final String THREAD_NAME = "imapbackup-compressor";

    private static final Logger LOG = LoggerFactory.getLogger(CompressorPipe.class);
    /**
     * Buffers of ended pipes, for the next ones: a member lives for seconds, long enough for its
     * buffers to be promoted to the old generation, so fresh ones per member would make the heap grow.
     */
    private static final BlockingQueue<byte[]> SPARE = new ArrayBlockingQueue<>(SPARES);

    private enum Kind { DATA, FLUSH, CLOSE, ABORT }

    /** One hand-over: a filled buffer, or a flush/close/abort to carry out after those before it. */
    private record Op(Kind kind, byte[] buffer, int length, CountDownLatch done) { }

    private final OutputStream compressor;
    /**
     * Everything handed over: room for every buffer plus the flush/close/abort behind them, so
     * handing over never waits (the writer waits only for a free buffer).
     */
    private final BlockingQueue<Op> handed = new ArrayBlockingQueue<>(BUFFERS + 2);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    /** The pipe's work on a {@link CompressorThreads} thread; done once the member is closed or dropped. */
    private final Future<?> thread;
    /** The compressor's failure; written by the pipe's thread, seen by the writer after a hand-over. */
    private volatile Throwable failure;
    /** Set by {@link #abort()}: the pipe's thread writes nothing more. */
    private volatile boolean dropped;
    private boolean reported;
    private int allocated;
    private byte[] current;
    private int fill;
    private boolean ended;

    /**
     * Starts the pipe's thread.
     *
     * @param compressor the open member; written and closed only by the pipe's thread
     * @param what what is written, for the thread's name (e.g. the mbox file's name)
     */
    CompressorPipe(OutputStream compressor, String what) {
        this.compressor = compressor;
        this.thread = CompressorThreads.run(this::run, THREAD_NAME + " " + what);
    }

    @Override
    public void write(int b) throws IOException {
        ensureRoom();
        current[fill++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            ensureRoom();
            int n = Math.min(len, current.length - fill);
            System.arraycopy(b, off, current, fill, n);
            fill += n;
            off += n;
            len -= n;
        }
    }

    /** Hands everything written over, has the compressor flushed, and waits for it. */
    @Override
    public void flush() throws IOException {
        checkOpen();
        handOver();
        await(Kind.FLUSH);
        rethrow();
    }

    /** Finishes the member (the compressor's {@code close}) and waits for it and the thread. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        try {
            handOver();
        } finally {
            ended = true;
            handed.add(new Op(Kind.CLOSE, null, 0, null));
            joinUninterruptibly();
        }
        rethrow();
    }

    /** Drops the member: nothing more is written; returns when the pipe's work has ended. */
    void abort() {
        if (ended) {
            return;
        }
        ended = true;
        dropped = true;
        handed.add(new Op(Kind.ABORT, null, 0, null));
        joinUninterruptibly();
    }

    /** How many buffers the pipe has allocated (at most {@link #BUFFERS}). */
    int allocated() {
        return allocated;
    }

    private void ensureRoom() throws IOException {
        checkOpen();
        if (current == null || fill == current.length) {
            if (current != null) {
                handOver();
            }
            current = take();
        }
    }

    private void checkOpen() throws IOException {
        if (ended) {
            throw new IOException("compressed member is closed");
        }
        rethrow();
    }

    /** Hands the current buffer over, if it holds anything. */
    private void handOver() throws IOException {
        if (current != null && fill > 0) {
            byte[] b = current;
            int n = fill;
            current = null;
            fill = 0;
            handed.add(new Op(Kind.DATA, b, n, null));
        }
        rethrow();
    }

    private byte[] take() throws IOException {
        byte[] b = free.poll();
        if (b == null && allocated < BUFFERS) {
            allocated++;
            b = SPARE.poll();
            return b != null ? b : new byte[BUFFER_SIZE];
        }
        try {
            return b != null ? b : free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the compressor");
        }
    }

    private void await(Kind kind) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        handed.add(new Op(kind, null, 0, done));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the compressor");
        }
    }

    /** Throws the compressor's failure, once. */
    private void rethrow() throws IOException {
        Throwable f = failure;
        if (f == null || reported) {
            return;
        }
        reported = true;
        if (f instanceof IOException io) {
            throw io;
        } else if (f instanceof RuntimeException r) {
            throw r;
        } else if (f instanceof Error e) {
            throw e;
        }
        throw new UncheckedIOException(new IOException(f));
    }

    /** Waits for the pipe's work to end, then gives the buffers back for the next pipes. */
    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (!thread.isDone()) {
            try {
                thread.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) { // run() catches every failure; never reached
                LOG.error("{} failed", THREAD_NAME, e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (current != null) {
            SPARE.offer(current);
            current = null;
        }
        for (byte[] b = free.poll(); b != null; b = free.poll()) {
            SPARE.offer(b);
        }
    }

    /** The pipe's thread: carries out each hand-over in order until a close or an abort. */
    private void run() {
        while (true) {
            Op op;
            try {
                op = handed.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; only a close or an abort ends it
            }
            try {
                if (op.kind == Kind.ABORT) {
                    return;
                }
                if (failure == null && !dropped) {
                    carryOut(op);
                }
            } catch (Throwable t) { // handed to the writer, which throws it
                failure = t;
            } finally {
                if (op.buffer != null) {
                    free.add(op.buffer);
                }
                if (op.done != null) {
                    op.done.countDown();
                }
            }
            if (op.kind == Kind.CLOSE) {
                return;
            }
        }
    }

    private void carryOut(Op op) throws IOException {
        switch (op.kind) {
            case DATA -> compressor.write(op.buffer, 0, op.length);
            case FLUSH -> compressor.flush();
            case CLOSE -> compressor.close();
            default -> throw new IllegalStateException(op.kind.name());
        }
    }
}
