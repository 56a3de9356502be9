package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backoff of one source after throttling answers ({@link Throttling}): a {@link Retry} per
 * operation waits, jittered, and gives up when the operation's budget is spent. Once one operation
 * gave up, a throttling answer within the next {@link Throttling#maxWaitTotal()} fails at once, so a
 * server that keeps throttling ends the run in one budget, not one per folder and reconnection.
 */
final class Throttle {

    private static final Logger LOG = LoggerFactory.getLogger(Throttle.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final Throttling settings;
    private final WaitGate sleeper;
    private final AtomicLong gaveUpAt = new AtomicLong(NEVER);

    Throttle(Throttling settings, WaitGate sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
    }

    /** A command that may fail with an Angus exception. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws jakarta.mail.MessagingException;
    }

    /**
     * Runs a command, and again after a backoff each time the server answers it with a throttling
     * {@code NO} or {@code BAD}. After a throttling {@code BYE} it waits too, then throws the lost
     * connection, so that the caller (the engine) reconnects. Other failures are mapped as
     * {@link Errors#folder} does.
     *
     * @param where host:port
     * @param folder the folder, or "" for account-wide commands
     * @param uid the message's UID, or -1
     * @param what the command, e.g. "UID FETCH"
     * @param tally where the connection's waits are counted
     * @param call the command
     * @return what the command returned
     * @throws BackupException when it fails, or the server kept throttling it
     */
    <T> T call(String where, String folder, long uid, String what, WaitTally tally, Call<T> call)
            throws BackupException {
        Retry retry = null;
        while (true) {
            try {
                return call.run();
            } catch (jakarta.mail.MessagingException e) {
                java.util.Optional<String> slowDown = ThrottleSignal.of(e);
                if (slowDown.isEmpty()) {
                    throw Errors.folder(where, folder, uid, what, e);
                }
                if (retry == null) {
                    retry = retry(where, folder.isEmpty() ? null : folder, what, tally);
                }
                retry.await(slowDown.get());
                if (Errors.connectionLost(e)) {
                    throw Errors.folder(where, folder, uid, what, e);
                }
            }
        }
    }

    /**
     * Starts the backoff of one operation.
     *
     * @param where host:port
     * @param folder the folder, or null for the login and account-wide commands
     * @param what the command, e.g. "UID FETCH"
     * @param tally where the connection's waits are counted
     */
    Retry retry(String where, String folder, String what, WaitTally tally) {
        return new Retry(where, folder, what, tally);
    }

    /** The backoff of one operation. */
    final class Retry {
        private final String where;
        private final String folder;
        private final String what;
        private final WaitTally tally;
        private int waits;
        private long waitedNanos;

        private Retry(String where, String folder, String what, WaitTally tally) {
            this.where = where;
            this.folder = folder;
            this.what = what;
            this.tally = tally;
        }

        /**
         * Waits after a throttling answer, so that the caller asks again.
         *
         * @param text the server's words
         * @throws BackupException when the budget is spent: a {@link FolderException} in a folder,
         *     else a {@link ConnectionException}
         * @throws CancelledException when interrupted or cancelled while waiting
         */
        void await(String text) throws BackupException {
            Duration delay = delay(text);
            if (delay == null) {
                long now = sleeper.nanoTime();
                gaveUpAt.set(now);
                throw exhausted(text);
            }
            LOG.info("{}{}: the server throttled {} (\"{}\"); waiting {} before asking again ({} of at most {})",
                    where, folder == null ? "" : " \"" + folder + "\"", what, text, seconds(delay), waits + 1,
                    settings.maxWaits());
            long start = sleeper.nanoTime();
            boolean done;
            try {
                done = sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
            if (!done) {
                throw new CancelledException(); // the run was cancelled (ImapSource.cancelWaits)
            }
            long slept = Math.max(0, sleeper.nanoTime() - start);
            waits++;
            waitedNanos += slept;
            tally.throttled(slept);
        }

        /** {@return the next wait, or null when the budget is spent} */
        private Duration delay(String text) {
            long gaveUp = gaveUpAt.get();
            if (gaveUp != NEVER && sleeper.nanoTime() - gaveUp < settings.maxWaitTotal().toNanos()) {
                return null;
            }
            long left = settings.maxWaitTotal().toNanos() - waitedNanos;
            if (waits >= settings.maxWaits() || left <= 0) {
                return null;
            }
            long full = settings.delay(waits).toNanos();
            long nanos = full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
            Duration suggested = ThrottleSignal.suggested(text).orElse(Duration.ZERO);
            if (suggested.toNanos() > left) {
                return null; // the server asks for more than the budget allows
            }
            nanos = Math.min(left, Math.max(nanos, suggested.toNanos()));
            return Duration.ofNanos(Math.max(1, nanos));
        }

        private BackupException exhausted(String text) {
            String msg = "the server kept throttling " + what + " (" + waits + (waits == 1 ? " wait" : " waits")
                    + ", " + seconds(Duration.ofNanos(waitedNanos)) + " in all): \"" + text
                    + "\"; run again later, with fewer connections or with a rate cap"
                    + " (--max-bytes-per-second, --max-messages-per-second)";
            return folder == null ? new ConnectionException(where + ": " + msg, null) : new KeptThrottling(folder, msg);
        }
    }

    /** The server kept throttling a folder's command: the folder fails, not only the message at hand. */
    static final class KeptThrottling extends FolderException {
        private static final long serialVersionUID = 1L;

        KeptThrottling(String folder, String message) {
            super(folder, message, null);
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
