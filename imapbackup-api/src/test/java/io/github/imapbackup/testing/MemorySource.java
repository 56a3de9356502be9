package io.github.imapbackup.testing;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link MessageSource} for tests: folders and messages that a test changes between
 * runs (add, expunge, change flags, change UIDVALIDITY, switch CONDSTORE), counters of every call,
 * and injected failures (a connection that drops at the N-th message, a failing folder or message,
 * a stream that stalls). Thread-safe; every connection sees the same data.
 *
 * <pre>{@code
 * MemorySource source = new MemorySource();
 * MemoryFolder inbox = source.folder("INBOX");
 * long uid = inbox.add("Message-ID: <a@b>\r\n\r\nhello\r\n");
 * inbox.flags(uid, "\\Seen");
 * source.dropConnectionAtOpenMessage(2);   // the 2nd body fetch from now on breaks the connection
 * }</pre>
 */
public final class MemorySource implements MessageSource {

    private final String description;
    final Map<String, MemoryFolder> folders = new LinkedHashMap<>();
    final Set<String> capabilities = new LinkedHashSet<>(List.of("IMAP4rev1", "UIDPLUS"));
    /** What NAMESPACE tells as the personal prefix. */
    volatile String personalPrefix = "";

    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger listCalls = new AtomicInteger();
    final AtomicInteger statusCalls = new AtomicInteger();
    final AtomicInteger openCalls = new AtomicInteger();
    final AtomicInteger messagesCalls = new AtomicInteger();
    final AtomicInteger flagsCalls = new AtomicInteger();
    final AtomicInteger uidsCalls = new AtomicInteger();
    final AtomicInteger expungedSinceCalls = new AtomicInteger();
    final AtomicInteger expungedOfCalls = new AtomicInteger();
    final AtomicInteger openMessageCalls = new AtomicInteger();
    final AtomicInteger openConnections = new AtomicInteger();
    final List<String> opens = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    volatile boolean listsMessageCounts;
    /** The connections (numbered from 1 as they were opened) that fetched a message body. */
    final Set<Integer> fetchingConnections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean parallelFetch;

    private BackupException connectFailure;
    private int connectFailures;
    int dropAtOpenMessage;
    int dropMidStreamAt;
    long dropMidStreamAfter;
    int stallAt;
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    private long nextUidValidity = 1000;

    /** Creates an empty source described as {@code memory://test}. */
    public MemorySource() {
        this("memory://test");
    }

    /**
     * Creates an empty source.
     *
     * @param description what {@link #describe()} returns
     */
    public MemorySource(String description) {
        this.description = description;
    }

    /**
     * Returns the folder with this name, creating it (delimiter {@code /}, subscribed, CONDSTORE
     * on) when absent.
     *
     * @param name the full name
     * @return the folder
     */
    public synchronized MemoryFolder folder(String name) {
        return folders.computeIfAbsent(name, n -> new MemoryFolder(this, n, nextUidValidity++));
    }

    /**
     * Deletes a folder.
     *
     * @param name the full name
     */
    public synchronized void deleteFolder(String name) {
        folders.remove(name);
    }

    /**
     * Renames a folder, keeping its messages, UIDs, UIDVALIDITY and state, as a server does whose
     * hierarchy delimiter was reconfigured (say from {@code .} to {@code /}).
     *
     * @param from the current full name
     * @param to the new full name
     * @param delimiter the new hierarchy delimiter
     * @return the renamed folder
     */
    public synchronized MemoryFolder renameFolder(String from, String to, String delimiter) {
        MemoryFolder old = folders.remove(from);
        if (old == null) {
            throw new IllegalArgumentException("no folder " + from);
        }
        MemoryFolder renamed = old.renamed(to);
        renamed.delimiter = delimiter;
        folders.put(to, renamed);
        return renamed;
    }

    /**
     * Sets the prefix of the personal namespace the connections tell ({@code INBOX.} as on
     * Courier; empty by default).
     *
     * @param prefix the prefix
     */
    public void personalPrefix(String prefix) {
        personalPrefix = prefix;
    }

    /**
     * Sets the capabilities announced ({@code IMAP4rev1 UIDPLUS} by default).
     *
     * @param names the capabilities
     */
    public synchronized void capabilities(String... names) {
        capabilities.clear();
        capabilities.addAll(List.of(names));
    }

    // ---- failure injection -------------------------------------------------------------------

    /**
     * Makes the next {@code times} calls of {@link #connect()} throw {@code failure} (e.g. an
     * {@link io.github.imapbackup.AuthenticationException}).
     *
     * @param failure what to throw
     * @param times how many times; {@link Integer#MAX_VALUE} for always
     */
    public synchronized void failConnect(BackupException failure, int times) {
        this.connectFailure = failure;
        this.connectFailures = times;
    }

    /**
     * Breaks the connection at the {@code n}-th {@code openMessage} call from now on (1 = the next):
     * it throws {@link ConnectionException} and the connection stays dead. One-shot.
     *
     * @param n which call
     */
    public synchronized void dropConnectionAtOpenMessage(int n) {
        dropAtOpenMessage = openMessageCalls.get() + n;
    }

    /**
     * Breaks the connection in the middle of the {@code n}-th message stream from now on: the
     * stream throws {@link ConnectionException} after {@code afterBytes} bytes. One-shot.
     *
     * @param n which {@code openMessage} call
     * @param afterBytes bytes delivered first
     */
    public synchronized void dropConnectionMidStream(int n, long afterBytes) {
        dropMidStreamAt = openMessageCalls.get() + n;
        dropMidStreamAfter = afterBytes;
    }

    /**
     * Makes the {@code n}-th message stream from now on stall before its first byte until
     * {@link #releaseStall()} (or the reading thread is interrupted). One-shot.
     *
     * @param n which {@code openMessage} call
     */
    public synchronized void stallAtOpenMessage(int n) {
        stallAt = openMessageCalls.get() + n;
        stalled = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    /**
     * Waits until a stream stalls.
     *
     * @param seconds how long to wait at most
     * @return whether it stalled
     * @throws InterruptedException if interrupted
     */
    public boolean awaitStall(long seconds) throws InterruptedException {
        CountDownLatch s;
        synchronized (this) {
            s = stalled;
        }
        return s.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets a stalled stream go on. */
    public synchronized void releaseStall() {
        release.countDown();
    }

    // ---- counters ----------------------------------------------------------------------------

    /** Returns how often {@link #connect()} was called (successful or not). */
    public int connects() {
        return connects.get();
    }

    /** Returns how many LIST calls were made. */
    public int listCalls() {
        return listCalls.get();
    }

    /** Returns how many STATUS calls were made. */
    public int statusCalls() {
        return statusCalls.get();
    }

    /** Returns how many folders were opened (EXAMINE). */
    public int openCalls() {
        return openCalls.get();
    }

    /** Returns how many metadata fetches ({@code messages(fromUid)}) were made. */
    public int messagesCalls() {
        return messagesCalls.get();
    }

    /** Returns how many flag fetches were made. */
    public int flagsCalls() {
        return flagsCalls.get();
    }

    /** Returns how many {@code expungedSince} (QRESYNC VANISHED) calls were made. */
    public int expungedSinceCalls() {
        return expungedSinceCalls.get();
    }

    /** Returns how many {@code expungedOf} calls (which unfetched messages are gone) were made. */
    public int expungedOfCalls() {
        return expungedOfCalls.get();
    }

    /** Returns how many UID SEARCH ALL ({@code uids()}) calls were made. */
    public int uidsCalls() {
        return uidsCalls.get();
    }

    /** Returns how many message bodies were opened. */
    public int openMessageCalls() {
        return openMessageCalls.get();
    }

    /** Returns how many connections are open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Returns how many connections fetched message bodies (since the counters were reset). */
    public int fetchingConnections() {
        return fetchingConnections.size();
    }

    /**
     * Sets whether several connections may fetch one folder's messages at once
     * ({@link MessageSource#parallelFetch()}; off by default, as for a file source).
     *
     * @param on whether they may
     */
    public void parallelFetch(boolean on) {
        parallelFetch = on;
    }

    @Override
    public boolean parallelFetch() {
        return parallelFetch;
    }

    /**
     * Sets whether the folder listing counts each folder's messages
     * ({@link SourceConnection#listedMessages}; off by default, as for a server without LIST-STATUS).
     *
     * @param on whether it does
     */
    public void listsMessageCounts(boolean on) {
        listsMessageCounts = on;
    }

    /** {@return every folder opened (since the counters were reset), in order, as "connection number:folder"} */
    public List<String> opens() {
        synchronized (opens) {
            return List.copyOf(opens);
        }
    }

    /** Sets every counter to zero (not the open connections). */
    public void resetCounters() {
        fetchingConnections.clear();
        opens.clear();
        for (AtomicInteger c : List.of(connects, listCalls, statusCalls, openCalls, messagesCalls,
                flagsCalls, uidsCalls, expungedSinceCalls, expungedOfCalls, openMessageCalls)) {
            c.set(0);
        }
    }

    // ---- MessageSource ----------------------------------------------------------------------

    @Override
    public SourceConnection connect() throws BackupException {
        int number = connects.incrementAndGet();
        synchronized (this) {
            if (connectFailures > 0) {
                if (connectFailures != Integer.MAX_VALUE) {
                    connectFailures--;
                }
                throw connectFailure;
            }
        }
        openConnections.incrementAndGet();
        return new MemoryConnection(this, number);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "MemorySource[" + description + "]";
    }

    synchronized MemoryFolder existing(String name) throws FolderException {
        MemoryFolder f = folders.get(name);
        if (f == null) {
            throw new FolderException(name, "no such folder", null);
        }
        return f;
    }

    // ---- folders and messages ----------------------------------------------------------------

    /**
     * Returns the UIDs of a folder as a list (for assertions).
     *
     * @param uids the array
     * @return the list
     */
    public static List<Long> list(long[] uids) {
        return Arrays.stream(uids).boxed().toList();
    }
}
