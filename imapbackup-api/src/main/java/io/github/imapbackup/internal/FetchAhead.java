package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.SourceWaits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's side of a big folder copied with help (docs/ARCHITECTURE.md, "One big folder on
 * several connections"): goes through the chunks in order, appends what a helper fetched, fetches
 * itself what no helper has, and starts a helper whenever one of the run's spare connections is
 * free. Every append happens here, on the pass's thread, in the order of the plan.
 */
final class FetchAhead {

    private static final Logger LOG = LoggerFactory.getLogger(FetchAhead.class);

    /** A folder is split when its new messages make at least this many chunks. */
    static final int MIN_CHUNKS = 4;
    /**
     * The most bytes the writer fetches with one call while no helper runs and no connection is
     * spare: its chunks one after the other, the source pipelining the commands (docs/ARCHITECTURE.md,
     * "Pipelined fetching"). Small, so that a connection that comes free meanwhile becomes a helper
     * after at most this much.
     */
    static final long WRITER_RUN_BYTES = 8L << 20;
    /** After this many helpers failed, the pass starts no more. */
    static final int MAX_HELPER_FAILURES = 3;
    /** How long the pass waits for its helpers to end, and after a cancel. */
    private static final long JOIN_MILLIS = 10_000;
    private static final long CANCEL_JOIN_MILLIS = 1_000;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What the pass does with the messages, in order. */
    interface Writer {
        /** Told before the copy waits for or fetches the chunk starting at this message: a cancel stops there. */
        void reached(MessageInfo first);

        /** Fetches and appends these messages over the pass's own connection. */
        void fetchAndAppend(List<MessageInfo> messages) throws BackupException;

        /** Appends a message a helper fetched. */
        void append(MessageInfo message, byte[] bytes) throws BackupException;

        /** {@return the folder as the pass's own connection has it open, to fetch a chunk ahead while it waits} */
        SourceFolder source();
    }

    private final RunContext run;
    private final FolderInfo folder;
    private final long uidValidity;
    private final ChunkQueue queue;
    private final Writer writer;
    private final List<Thread> helpers = new ArrayList<>();
    /** Set when a fetch ahead over the pass's own connection failed: it waits from then on. */
    private boolean ownAheadFailed;

    FetchAhead(RunContext run, FolderInfo folder, long uidValidity, List<MessageInfo> toCopy, long maxSmall,
            Writer writer) {
        this.run = run;
        this.folder = folder;
        this.uidValidity = uidValidity;
        this.queue = new ChunkQueue(toCopy, maxSmall);
        this.writer = writer;
    }

    /**
     * {@return whether a copy of these messages is worth splitting: the source allows it, the run
     * has more than one connection, and they make at least {@link #MIN_CHUNKS} chunks}
     */
    static boolean worthIt(RunContext run, List<MessageInfo> toCopy, long maxSmall) {
        if (run.config.connections() < 2 || run.dryRun || !run.config.source().parallelFetch()) {
            return false;
        }
        long messages = toCopy.stream().filter(m -> m.size() <= maxSmall).count();
        long bytes = toCopy.stream().filter(m -> m.size() <= maxSmall).mapToLong(MessageInfo::size).sum();
        return messages >= (long) MIN_CHUNKS * ChunkQueue.CHUNK_MESSAGES
                || bytes >= MIN_CHUNKS * ChunkQueue.CHUNK_BYTES;
    }

    /** Copies every message, in order. */
    void run() throws BackupException {
        boolean done = false;
        try {
            for (int i = 0; i < queue.size(); i++) {
                addHelpers();
                writer.reached(queue.first(i));
                ChunkQueue.Chunk c;
                while ((c = queue.ready(i)) == null) {
                    // a helper is fetching it: fetch a later chunk meanwhile rather than wait
                    ChunkQueue.Chunk ahead = ownAheadFailed ? null : queue.claimAhead();
                    if (ahead != null) {
                        fetchAhead(ahead);
                    } else {
                        queue.pause(i, run);
                    }
                }
                Map<Long, byte[]> fetched = queue.fetchedBytes(c);
                if (fetched == null) {
                    // a spare connection now becomes a helper at the next chunk: no run then
                    int last = queue.writerRun(i, run.spareConnections.availablePermits() > 0 ? 0 : WRITER_RUN_BYTES);
                    writer.fetchAndAppend(queue.messages(i, last));
                    i = last;
                } else {
                    appendFetched(c, fetched);
                }
            }
            done = true;
        } finally {
            queue.close();
            boolean stalled = queue.stolen() > 0;
            if (!done || stalled) {
                // what the helpers fetch now is dropped: end their waits (a blocked read may not notice)
                helpers.forEach(Thread::interrupt);
            }
            joinHelpers(run.cancelled() || stalled ? CANCEL_JOIN_MILLIS : JOIN_MILLIS);
            LOG.debug("folder \"{}\": {} connections fetched ahead, held at most {} bytes, {} stalled chunks"
                    + " taken over", folder.name(), helpers.size(), queue.peakHeld(), queue.stolen());
        }
    }

    /**
     * Fetches a later chunk into memory over the pass's own connection, as a helper does. A lost
     * connection ends the pass (the caller reconnects); any other failure gives the chunk back, for
     * the writer to fetch when it gets there, and ends the pass's own fetches ahead.
     */
    private void fetchAhead(ChunkQueue.Chunk ahead) throws BackupException {
        try {
            queue.fetched(ahead, AheadHelper.fetch(writer.source(), ahead, queue, run, folder));
        } catch (ConnectionException | CancelledException e) {
            queue.release(ahead);
            throw e;
        } catch (BackupException | RuntimeException e) {
            queue.release(ahead);
            ownAheadFailed = true;
            LOG.debug("folder \"{}\": fetching ahead over the pass's own connection failed: {}", folder.name(),
                    e.toString());
        }
    }

    /** {@return the most bytes fetched ahead and not yet appended at any time of the pass} */
    long peakHeldBytes() {
        return queue.peakHeld();
    }

    /** {@return how long the helpers' connections waited (throttling, pacing), once they ended} */
    SourceWaits waits() {
        return queue.waits();
    }

    /** Appends a helper's chunk in order; what it could not fetch is fetched over the pass's connection. */
    private void appendFetched(ChunkQueue.Chunk c, Map<Long, byte[]> fetched) throws BackupException {
        List<MessageInfo> missing = new ArrayList<>();
        for (MessageInfo m : c.messages) {
            byte[] bytes = fetched.remove(m.uid());
            if (bytes == null) {
                missing.add(m);
                continue;
            }
            if (!missing.isEmpty()) {
                writer.fetchAndAppend(List.copyOf(missing));
                missing.clear();
            }
            writer.append(m, bytes);
        }
        if (!missing.isEmpty()) {
            writer.fetchAndAppend(missing);
        }
    }

    /** Starts a helper for each spare connection, while there are chunks enough to share. */
    private void addHelpers() {
        while (run.spareConnections.availablePermits() > 0 && helperFailures() < MAX_HELPER_FAILURES
                && queue.openAhead() > running() && run.spareConnections.tryAcquire()) {
            queue.helperStarted();
            Thread t = new Thread(new AheadHelper(run, folder, uidValidity, queue),
                    "imapbackup-ahead-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            helpers.add(t);
            LOG.debug("folder \"{}\": another connection fetches ahead ({} in all)", folder.name(), helpers.size());
            t.start();
        }
    }

    private int running() {
        return (int) helpers.stream().filter(Thread::isAlive).count();
    }

    /** Helpers that ended while chunks were left: they failed (or were refused). */
    private int helperFailures() {
        return (int) helpers.stream().filter(t -> !t.isAlive()).count();
    }

    /** Waits a little for the helpers to end (they stop at their next message); daemons otherwise. */
    private void joinHelpers(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = Thread.interrupted();
        try {
            for (Thread t : helpers) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                while (t.isAlive() && left > 0) {
                    try {
                        t.join(left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
