package io.github.imapbackup.internal;

import io.github.imapbackup.CancelledException;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceWaits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The new messages of one folder cut into consecutive chunks, shared by the pass that appends them
 * (the writer, strictly in order) and the connections that fetch chunks ahead of it (helpers).
 * Holds at most {@link #AHEAD_PER_HELPER} chunks per helper in memory, each at most
 * {@link #CHUNK_BYTES} whatever sizes the server told. See docs/ARCHITECTURE.md, "One big folder on
 * several connections".
 */
final class ChunkQueue {

    /** A chunk holds at most this many messages, and at most this many bytes. */
    static final int CHUNK_MESSAGES = 200;
    static final long CHUNK_BYTES = 2L << 20;
    /** How many chunks past the writer's each helper may fetch (the reorder window). */
    static final int AHEAD_PER_HELPER = 2;
    /** The writer takes over a chunk whose helper has received no message for this long. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Who has a chunk: nobody yet, a helper fetching it, a helper's finished fetch, the writer. */
    enum State { OPEN, HELPER, FETCHED, WRITER }

    /** A run of consecutive messages; {@code big} when it is one message only the writer streams. */
    static final class Chunk {
        final int index;
        final List<MessageInfo> messages;
        final boolean big;
        private State state = State.OPEN;
        /** UID to exact bytes, of what a helper fetched; a message it could not fetch is absent. */
        private Map<Long, byte[]> bytes;
        private long heldBytes;
        /** When the helper fetching it claimed it or last received one of its messages. */
        private volatile long progressNanos;

        Chunk(int index, List<MessageInfo> messages, boolean big) {
            this.index = index;
            this.messages = List.copyOf(messages);
            this.big = big;
        }
    }

    private final List<Chunk> chunks;
    /** The chunk the writer is at: helpers take only later ones (the first is always the writer's). */
    private int writerAt;
    /** The last chunk of the run the writer fetches with one call ({@link #writerRun}); at least {@link #writerAt}. */
    private int writerEnd;
    private int helpers;
    private boolean closed;
    /** Set when a helper saw another UIDVALIDITY: the folder goes on with the writer alone. */
    private boolean refused;
    private SourceWaits waits = SourceWaits.NONE;
    /** Bytes of fetched chunks the writer has not taken yet, and the most they ever were. */
    private long held;
    private long peakHeld;
    /** How many chunks the writer took over from a helper that stalled. */
    private int stolen;

    ChunkQueue(List<MessageInfo> toCopy, long maxSmall) {
        this.chunks = cut(toCopy, maxSmall);
    }

    /**
     * Cuts messages, in their order, into chunks of at most {@link #CHUNK_MESSAGES} messages and
     * {@link #CHUNK_BYTES} bytes; a message bigger than {@code maxSmall} is a chunk of its own.
     */
    static List<Chunk> cut(List<MessageInfo> toCopy, long maxSmall) {
        List<Chunk> out = new ArrayList<>();
        List<MessageInfo> run = new ArrayList<>();
        long bytes = 0;
        for (MessageInfo m : toCopy) {
            boolean big = m.size() > maxSmall;
            if (!run.isEmpty() && (big || run.size() >= CHUNK_MESSAGES || bytes + m.size() > CHUNK_BYTES)) {
                out.add(new Chunk(out.size(), run, false));
                run.clear();
                bytes = 0;
            }
            if (big) {
                out.add(new Chunk(out.size(), List.of(m), true));
            } else {
                run.add(m);
                bytes += m.size();
            }
        }
        if (!run.isEmpty()) {
            out.add(new Chunk(out.size(), run, false));
        }
        return out;
    }

    int size() {
        return chunks.size();
    }

    /** {@return the first message of chunk {@code index}} */
    MessageInfo first(int index) {
        return chunks.get(index).messages.get(0);
    }

    /** {@return how many chunks after the writer's a helper could still take} */
    synchronized int openAhead() {
        if (closed || refused) {
            return 0;
        }
        int n = 0;
        for (int i = writerAt + 1; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (c.state == State.OPEN && !c.big) {
                n++;
            }
        }
        return n;
    }

    synchronized void helperStarted() {
        helpers++;
    }

    synchronized void helperGone(SourceWaits helperWaits) {
        helpers--;
        waits = waits.plus(helperWaits);
        notifyAll();
    }

    synchronized SourceWaits waits() {
        return waits;
    }

    /** A helper saw another UIDVALIDITY: no helper takes a chunk any more. */
    synchronized void refuse() {
        refused = true;
        notifyAll();
    }

    synchronized boolean closed() {
        return closed;
    }

    /**
     * For a helper: takes the first chunk no one has that lies within the window past the writer,
     * waiting while the window is full; null when there is none left to take.
     */
    synchronized Chunk claim() throws InterruptedException {
        while (!closed && !refused) {
            Chunk first = firstOpen();
            if (first == null) {
                return null;
            }
            if (first.index < limit()) {
                return claimed(first);
            }
            wait();
        }
        return null;
    }

    /**
     * For the writer while a helper fetches its chunk: takes the first chunk no one has within
     * the window, for the writer to fetch into memory over its own connection meanwhile; null when
     * there is none.
     */
    synchronized Chunk claimAhead() {
        Chunk first = closed || refused ? null : firstOpen();
        return first != null && first.index < limit() ? claimed(first) : null;
    }

    private int limit() {
        return Math.max(writerAt, writerEnd) + 1 + AHEAD_PER_HELPER * Math.max(1, helpers);
    }

    /**
     * For the writer, once chunk {@code index} is its own to fetch: while no helper runs, takes the
     * open chunks after it as well, up to {@code maxBytes} in all, so that one call fetches them
     * (the source then sends the next command before an answer ends, which a call per chunk cannot).
     * Helpers that start meanwhile take chunks after the run.
     *
     * @return the index of the run's last chunk ({@code index} when it is alone)
     */
    synchronized int writerRun(int index, long maxBytes) {
        int last = index;
        long bytes = bytes(chunks.get(index));
        while (helpers == 0 && !closed && last + 1 < chunks.size()) {
            Chunk next = chunks.get(last + 1);
            if (next.state != State.OPEN || bytes + bytes(next) > maxBytes) {
                break;
            }
            next.state = State.WRITER;
            bytes += bytes(next);
            last++;
        }
        writerEnd = last;
        return last;
    }

    private static long bytes(Chunk c) {
        return c.messages.stream().mapToLong(MessageInfo::size).sum();
    }

    /** {@return the messages of chunks {@code first} to {@code last}, in order} */
    List<MessageInfo> messages(int first, int last) {
        List<MessageInfo> out = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            out.addAll(chunks.get(i).messages);
        }
        return out;
    }

    private Chunk firstOpen() {
        for (int i = Math.max(writerAt, writerEnd) + 1; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (c.state == State.OPEN && !c.big) {
                return c;
            }
        }
        return null;
    }

    private static Chunk claimed(Chunk c) {
        c.state = State.HELPER;
        c.progressNanos = System.nanoTime();
        return c;
    }

    /** For a helper: tells that a message of its chunk arrived (the writer waits for a helper that makes progress). */
    static void progress(Chunk c) {
        c.progressNanos = System.nanoTime();
    }

    /** For a helper: hands over what it fetched of its chunk. */
    synchronized void fetched(Chunk c, Map<Long, byte[]> bytes) {
        if (!closed && c.state == State.HELPER) {
            c.bytes = bytes;
            c.heldBytes = bytes.values().stream().mapToLong(b -> b.length).sum();
            held += c.heldBytes;
            peakHeld = Math.max(peakHeld, held);
            c.state = State.FETCHED;
        }
        notifyAll();
    }

    /** For a helper that failed: gives its chunk back, for the writer (or another helper) to fetch. */
    synchronized void release(Chunk c) {
        if (c.state == State.HELPER) {
            c.state = State.OPEN;
        }
        notifyAll();
    }

    /**
     * For the writer: moves to chunk {@code index} and returns it if it is the writer's now: either
     * the writer fetches it itself ({@link #fetchedBytes} null), or a helper has fetched it. Returns
     * null while a helper is fetching it, unless that helper has received nothing for
     * {@link #STALL_NANOS} (a stalled connection: the writer fetches the chunk itself, and what the
     * helper fetches of it later is dropped).
     */
    synchronized Chunk ready(int index) {
        Chunk c = chunks.get(index);
        if (writerAt != index) {
            writerAt = index;
            notifyAll();
        }
        if (c.state == State.OPEN) {
            c.state = State.WRITER;
            return c;
        }
        if (c.state == State.FETCHED) {
            return c;
        }
        if (c.state == State.HELPER && System.nanoTime() - c.progressNanos > STALL_NANOS) {
            c.state = State.WRITER;
            stolen++;
            return c;
        }
        return c.state == State.WRITER ? c : null;
    }

    /** For the writer: waits up to 100 ms while a helper fetches chunk {@code index}; throws when the run stops. */
    void pause(int index, RunContext run) throws CancelledException {
        Chunk c = chunks.get(index);
        synchronized (this) {
            if (c.state == State.HELPER) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        run.checkpoint();
    }

    /** {@return what a helper fetched of the writer's chunk, or null when the writer fetches it}; once. */
    synchronized Map<Long, byte[]> fetchedBytes(Chunk c) {
        Map<Long, byte[]> out = c.bytes;
        c.bytes = null;
        held -= c.heldBytes;
        c.heldBytes = 0;
        return out;
    }

    /** {@return the most bytes fetched ahead and not yet taken by the writer at any time} */
    synchronized long peakHeld() {
        return peakHeld;
    }

    /** {@return how many chunks the writer took over from a stalled helper} */
    synchronized int stolen() {
        return stolen;
    }

    /** Ends the queue: helpers take nothing more, and what they fetched is dropped. */
    synchronized void close() {
        closed = true;
        chunks.forEach(c -> {
            c.bytes = null;
            c.heldBytes = 0;
        });
        held = 0;
        notifyAll();
    }
}
