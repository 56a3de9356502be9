package io.github.imapbackup.testing;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One folder of a {@link MemorySource}; change it between runs (add, expunge, flags, UIDVALIDITY,
 * CONDSTORE, attributes, injected failures). All methods are thread-safe.
 */
public final class MemoryFolder {

    private final MemorySource source;
    final String name;
    String delimiter = "/";
    Set<String> attributes = Set.of();
    boolean subscribed = true;
    long uidValidity;
    long uidNext = 1;
    boolean condstore = true;
    /** Whether {@code expungedSince} answers (IMAP QRESYNC); off by default. */
    boolean qresync;
    /** Adds this many UIDs that were never expunged to every {@code expungedSince} answer (a lying server). */
    int qresyncLies;
    /** UID → the modseq of its expunge, since the last UIDVALIDITY change. */
    final TreeMap<Long, Long> expungedAt = new TreeMap<>();
    long highestModSeq = 1;
    boolean failing;
    long sizeError;
    final Set<Long> failingUids = new LinkedHashSet<>();
    /** UIDs whose body stops halfway, to whether the message is expunged then. */
    final Map<Long, Boolean> stopMidStream = new LinkedHashMap<>();
    /** Whether {@code expungedOf} answers (an IMAP server does); when not, it cannot tell. */
    boolean tellsExpunged = true;
    /** Whether {@code expungedOf} fails with a {@link FolderException}. */
    boolean expungedOfFails;
    final TreeMap<Long, Message> messages = new TreeMap<>();

    MemoryFolder(MemorySource source, String name, long uidValidity) {
        this.source = source;
        this.name = name;
        this.uidValidity = uidValidity;
    }

    /** Returns a copy of this folder under another name (same UIDs, UIDVALIDITY and state). */
    MemoryFolder renamed(String newName) {
        MemoryFolder f = new MemoryFolder(source, newName, uidValidity);
        f.delimiter = delimiter;
        f.attributes = attributes;
        f.subscribed = subscribed;
        f.uidNext = uidNext;
        f.condstore = condstore;
        f.qresync = qresync;
        f.qresyncLies = qresyncLies;
        f.expungedAt.putAll(expungedAt);
        f.highestModSeq = highestModSeq;
        f.failing = failing;
        f.sizeError = sizeError;
        f.failingUids.addAll(failingUids);
        f.tellsExpunged = tellsExpunged;
        f.stopMidStream.putAll(stopMidStream);
        f.expungedOfFails = expungedOfFails;
        f.messages.putAll(messages);
        return f;
    }

    /** Returns the full name. */
    public String name() {
        return name;
    }

    /**
     * Adds a message with no flags, INTERNALDATE 2026-11-21T23:39:50Z.
     *
     * @param content the message (ISO-8859-1 chars are its bytes)
     * @return its UID
     */
    public long add(String content) {
        return add(content.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Adds a message.
     *
     * @param content the exact bytes
     * @param flags its flags and keywords
     * @return its UID
     */
    public long add(byte[] content, String... flags) {
        return add(content, Instant.parse("2026-11-21T23:39:50Z"), null, flags);
    }

    /**
     * Adds a message.
     *
     * @param content the exact bytes
     * @param internalDate its INTERNALDATE
     * @param sender the envelope sender, or null
     * @param flags its flags and keywords
     * @return its UID
     */
    public long add(byte[] content, Instant internalDate, String sender, String... flags) {
        MessageIdentity identity;
        try {
            identity = MessageIdExtractor.standard().identify(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (source) {
            long uid = uidNext++;
            messages.put(uid, new Message(uid, content.clone(), Set.of(flags), internalDate, sender,
                    identity, ++highestModSeq));
            return uid;
        }
    }

    /**
     * Removes a message (EXPUNGE).
     *
     * @param uid its UID
     */
    public void expunge(long uid) {
        synchronized (source) {
            if (messages.remove(uid) == null) {
                throw new IllegalArgumentException("no UID " + uid + " in " + name);
            }
            highestModSeq++;
            expungedAt.put(uid, highestModSeq);
        }
    }

    /**
     * Replaces the flags of a message.
     *
     * @param uid its UID
     * @param flags the new flags and keywords
     */
    public void flags(long uid, String... flags) {
        synchronized (source) {
            Message m = messages.get(uid);
            if (m == null) {
                throw new IllegalArgumentException("no UID " + uid + " in " + name);
            }
            m.flags = Set.of(flags);
            m.modSeq = ++highestModSeq;
        }
    }

    /**
     * Changes UIDVALIDITY, as a server does after rebuilding its index: every message gets a
     * new UID, from 1 in the present order.
     *
     * @param newUidValidity the new value
     */
    public void uidValidity(long newUidValidity) {
        synchronized (source) {
            List<Message> all = new ArrayList<>(messages.values());
            messages.clear();
            uidValidity = newUidValidity;
            uidNext = 1;
            expungedAt.clear();
            for (Message m : all) {
                m.uid = uidNext++;
                messages.put(m.uid, m);
            }
            highestModSeq++;
        }
    }

    /**
     * Switches CONDSTORE for this folder (on by default); without it HIGHESTMODSEQ and MODSEQ
     * are reported as 0.
     *
     * @param on whether the server has CONDSTORE
     */
    public void condstore(boolean on) {
        synchronized (source) {
            condstore = on;
        }
    }

    /**
     * Switches QRESYNC for this folder (off by default): with it and CONDSTORE, the open folder
     * answers {@code expungedSince} with the UIDs expunged after a modseq.
     *
     * @param on whether the server has QRESYNC
     * @param lies how many live UIDs to add to every answer, as a wrong server would (0: none)
     */
    public void qresync(boolean on, int lies) {
        synchronized (source) {
            qresync = on;
            qresyncLies = lies;
        }
    }

    /**
     * Sets the LIST attributes, e.g. {@code \Noselect}.
     *
     * @param names the attributes
     */
    public void attributes(String... names) {
        synchronized (source) {
            attributes = Set.of(names);
        }
    }

    /**
     * Sets the hierarchy delimiter (default {@code /}; empty for none).
     *
     * @param delimiter the delimiter
     */
    public void delimiter(String delimiter) {
        synchronized (source) {
            this.delimiter = delimiter;
        }
    }

    /**
     * Sets whether the folder is subscribed (default yes).
     *
     * @param on whether it is
     */
    public void subscribed(boolean on) {
        synchronized (source) {
            subscribed = on;
        }
    }

    /**
     * Makes RFC822.SIZE wrong by {@code error} bytes, as some servers report it (0 by default).
     *
     * @param error added to the true size
     */
    public void misreportSizes(long error) {
        synchronized (source) {
            sizeError = error;
        }
    }

    /**
     * Makes STATUS and EXAMINE of this folder fail with a {@link FolderException}.
     *
     * @param on whether they fail
     */
    public void failing(boolean on) {
        synchronized (source) {
            failing = on;
        }
    }

    /**
     * Makes fetching the body of one message fail with a {@link FolderException}.
     *
     * @param uid the UID
     * @param on whether it fails
     */
    public void failMessage(long uid, boolean on) {
        synchronized (source) {
            if (on) {
                failingUids.add(uid);
            } else {
                failingUids.remove(uid);
            }
        }
    }

    /**
     * Makes the body of one message stop halfway with a {@link FolderException} (not a lost
     * connection), as an IMAP server answers the later chunks of a message another session expunged
     * meanwhile without a body.
     *
     * @param uid the UID
     * @param expunge whether the message is expunged when its body stops (else it stays, broken)
     */
    public void stopMidStream(long uid, boolean expunge) {
        synchronized (source) {
            stopMidStream.put(uid, expunge);
        }
    }

    /**
     * Sets how {@code expungedOf} (which messages that could not be fetched are gone) answers.
     *
     * @param tells whether it answers at all (else it cannot tell, as the default of the SPI)
     * @param fails whether asking fails with a {@link FolderException}
     */
    public void expungedOf(boolean tells, boolean fails) {
        synchronized (source) {
            tellsExpunged = tells;
            expungedOfFails = fails;
        }
    }

    /** Returns UIDVALIDITY. */
    public long uidValidity() {
        synchronized (source) {
            return uidValidity;
        }
    }

    /** Returns the UIDs, ascending. */
    public long[] uids() {
        synchronized (source) {
            return messages.keySet().stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** Returns the number of messages. */
    public int size() {
        synchronized (source) {
            return messages.size();
        }
    }

    /**
     * Returns a message's bytes.
     *
     * @param uid its UID
     * @return a copy of the bytes
     */
    public byte[] content(long uid) {
        synchronized (source) {
            Message m = messages.get(uid);
            if (m == null) {
                throw new IllegalArgumentException("no UID " + uid + " in " + name);
            }
            return m.content.clone();
        }
    }

    /**
     * Returns a message's flags.
     *
     * @param uid its UID
     * @return the flags
     */
    public Set<String> flagsOf(long uid) {
        synchronized (source) {
            return messages.get(uid).flags;
        }
    }

    FolderInfo info() {
        return new FolderInfo(name, delimiter, attributes, subscribed);
    }

    FolderStatus status() {
        return new FolderStatus(messages.size(), uidValidity, uidNext, condstore ? highestModSeq : 0);
    }

    void checkFailing() throws FolderException {
        if (failing) {
            throw new FolderException(name, "injected folder failure", null);
        }
    }

        /** One message on the source. */
        static final class Message {
            long uid;
            final byte[] content;
            Set<String> flags;
            final Instant internalDate;
            final String sender;
            final MessageIdentity identity;
            long modSeq;

            Message(long uid, byte[] content, Set<String> flags, Instant internalDate, String sender,
                    MessageIdentity identity, long modSeq) {
                this.uid = uid;
                this.content = content;
                this.flags = flags;
                this.internalDate = internalDate;
                this.sender = sender;
                this.identity = identity;
                this.modSeq = modSeq;
            }
        }
}
