package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.RunInfo;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The progress display on a terminal: one line per folder in progress, redrawn in place with
 * {@code \r} on stderr (messages and bytes, rate, ETA); a finished folder leaves one line.
 * Thread-safe (folders may run in parallel); redraws at most every 200 ms.
 */
final class ProgressDisplay implements BackupListener {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 79;

    private final PrintStream err;
    private final LongSupplier nanoClock;
    private final Map<String, Folder> active = new LinkedHashMap<>();
    private long lastDraw;
    private int lastLength;

    /** Progress of one folder. */
    private static final class Folder {
        final long started;
        long toCopy = -1;
        long bytesToCopy = -1;
        long copied;
        long bytesDone;
        long inFlight;

        Folder(long started) {
            this.started = started;
        }
    }

    ProgressDisplay(PrintStream err) {
        this(err, System::nanoTime);
    }

    ProgressDisplay(PrintStream err, LongSupplier nanoClock) {
        this.err = err;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void folderStarted(RunInfo run, FolderInfo folder, long messagesOnSource,
            long messagesToCopy, long bytesToCopy) {
        Folder f = new Folder(nanoClock.getAsLong());
        f.toCopy = messagesToCopy;
        f.bytesToCopy = bytesToCopy;
        active.put(folder.name(), f);
        draw(true);
    }

    @Override
    public synchronized void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
        Folder f = active.computeIfAbsent(folder.name(), k -> new Folder(nanoClock.getAsLong()));
        f.copied++;
        f.bytesDone += bytes;
        f.inFlight = 0;
        draw(false);
    }

    @Override
    public synchronized void bytesTransferred(RunInfo run, FolderInfo folder, long bytes) {
        Folder f = active.computeIfAbsent(folder.name(), k -> new Folder(nanoClock.getAsLong()));
        f.inFlight += bytes;
        draw(false);
    }

    @Override
    public synchronized void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
        Folder f = active.remove(report.name());
        clear();
        if (report.counters().messagesCopied() == 0 && !report.failed()) {
            draw(true);
            return;
        }
        long took = f == null ? 0 : nanoClock.getAsLong() - f.started;
        err.println(Format.fit(String.format(Locale.ROOT, "%s: %d new, %s, %s", report.name(),
                report.counters().messagesCopied(), Format.bytes(report.counters().bytesCopied()),
                Format.duration(Duration.ofNanos(took))) + (report.failed() ? ", with failures" : ""), WIDTH));
        draw(true);
    }

    @Override
    public synchronized void folderFailed(RunInfo run, FolderInfo folder, BackupException failure) {
        active.remove(folder.name());
        clear();
        err.println(Format.fit(folder.name() + ": FAILED: " + failure.getMessage(), WIDTH));
        draw(true);
    }

    @Override
    public synchronized void messageFailed(RunInfo run, FolderInfo folder, long uid, BackupException failure) {
        clear();
        err.println(Format.fit(folder.name() + ", UID " + uid + ": FAILED: " + failure.getMessage(), WIDTH));
        draw(true);
    }

    /** Removes the progress line (before other output, and at the end). */
    synchronized void clear() {
        if (lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }

    private void draw(boolean force) {
        long now = nanoClock.getAsLong();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        if (active.isEmpty()) {
            clear();
            return;
        }
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Folder> e : active.entrySet()) {
            if (line.length() > 0) {
                line.append(" | ");
            }
            line.append(describe(e.getKey(), e.getValue(), now));
        }
        String text = Format.fit(line.toString(), WIDTH);
        int pad = Math.max(0, lastLength - text.length());
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
        lastLength = text.length();
    }

    /** Returns e.g. {@code INBOX 45/120 msgs 3.2 MB/10.0 MB 1.5 MB/s ETA 0:05}. */
    static String describe(String name, long copied, long toCopy, long bytes, long bytesToCopy, long elapsedNanos) {
        StringBuilder sb = new StringBuilder(name).append(' ').append(copied);
        if (toCopy >= 0) {
            sb.append('/').append(toCopy);
        }
        sb.append(" msgs ").append(Format.bytes(bytes));
        if (bytesToCopy >= 0) {
            sb.append('/').append(Format.bytes(bytesToCopy));
        }
        double seconds = elapsedNanos / 1e9;
        if (seconds >= 0.5 && bytes > 0) {
            double rate = bytes / seconds;
            sb.append(' ').append(Format.bytes((long) rate)).append("/s");
            if (bytesToCopy > bytes) {
                sb.append(" ETA ").append(Format.duration(Duration.ofSeconds((long) ((bytesToCopy - bytes) / rate))));
            }
        }
        return sb.toString();
    }

    private static String describe(String name, Folder f, long now) {
        return describe(name, f.copied, f.toCopy, f.bytesDone + f.inFlight, f.bytesToCopy, now - f.started);
    }
}
