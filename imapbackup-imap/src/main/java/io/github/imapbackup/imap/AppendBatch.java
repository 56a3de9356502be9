package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.spi.TargetFolder.NewMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one APPEND command (several with MULTIAPPEND, RFC 3502), spooled and kept
 * until the server answered the command, so that a batch refused as a whole can be appended
 * again message by message. Bounded by {@link #MAX_COUNT} messages and {@link #MAX_BYTES};
 * its {@link Spool.Memory} is reused by the next batch once this one is cleared.
 */
final class AppendBatch {

    private static final Logger LOG = LoggerFactory.getLogger(AppendBatch.class);
    /** The most messages in one MULTIAPPEND command. */
    static final int MAX_COUNT = 100;
    /** A MULTIAPPEND command is sent once its messages reach this many bytes. */
    static final long MAX_BYTES = 4L << 20;

    /** One message to append: what it is, its entry, its bytes, and the server's answer once read. */
    static final class Slot {
        final NewMessage message;
        final String flags;
        final String date;
        final Spool content;
        ArchivedMessage entry;
        /** The server's words when it refused the message; null while unanswered or accepted. */
        String refused;
        /** The server's words when its answer means the folder cannot go on. */
        String fatal;
        boolean answered;

        /**
         * @param flags the flag list as APPEND takes it, already filtered
         * @param date the INTERNALDATE as APPEND takes it
         */
        Slot(NewMessage message, ArchivedMessage entry, String flags, String date, Spool content) {
            this.message = message;
            this.entry = entry;
            this.flags = flags;
            this.date = date;
            this.content = content;
        }
    }

    private final int memoryLimit;
    private final Spool.Memory memory;
    private final List<Slot> slots = new ArrayList<>();
    private long bytes;

    /**
     * @param memoryLimit the most bytes of one message kept in memory; a longer one goes to a file
     * @param memory where the messages kept in memory go
     */
    AppendBatch(int memoryLimit, Spool.Memory memory) {
        this.memoryLimit = memoryLimit;
        this.memory = memory;
    }

    Spool.Memory memory() {
        return memory;
    }

    /** {@return an empty spool whose memory is this batch's, after the messages added before} */
    Spool spool() {
        return new Spool(memoryLimit, memory);
    }

    void add(Slot slot) {
        slots.add(slot);
        bytes += slot.content.length();
    }

    List<Slot> slots() {
        return slots;
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    /** {@return whether the batch holds as many messages or bytes as one command takes} */
    boolean full() {
        return slots.size() >= MAX_COUNT || bytes >= MAX_BYTES;
    }

    /** Deletes the temporary files and forgets the messages; the memory is kept for the next batch. */
    void clear() {
        for (Slot s : slots) {
            try {
                s.content.close();
            } catch (IOException e) {
                LOG.debug("cannot delete a temporary file", e);
            }
        }
        slots.clear();
        memory.clear();
        bytes = 0;
    }

    /** {@return the UIDs of an APPENDUID set such as {@code 5:7,9}, in order; empty if not {@code count}} */
    static List<Long> uids(String set, int count) {
        List<Long> uids = new ArrayList<>(count);
        try {
            for (String range : set.split(",")) {
                int colon = range.indexOf(':');
                long from = Long.parseLong(colon < 0 ? range : range.substring(0, colon));
                long to = colon < 0 ? from : Long.parseLong(range.substring(colon + 1));
                for (long u = Math.min(from, to); u <= Math.max(from, to) && uids.size() <= count; u++) {
                    uids.add(u);
                }
            }
        } catch (NumberFormatException e) {
            return List.of();
        }
        return uids.size() == count ? uids : List.of();
    }
}
