package io.github.imapbackup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;

/**
 * Initializes, on a daemon thread of the launcher's worker, what a backup's first folder needs and
 * a cold JVM takes long to set up, while the main thread parses the command line and logs in
 * (docs/benchmarks-imap.md, "Folder order and three connections"): the first {@code INTERNALDATE}
 * of a folder's listing loads the JVM's calendar and locale data (about 80 ms cold, on the way
 * from the listing to the first body). Only the worker of {@code backup} and {@code migrate} does
 * this: a library never starts threads in its host for its own speed, and the other commands do
 * not read a server's listing. Nothing here has an effect besides initializing classes; whatever
 * fails, the run goes on and does it itself.
 */
final class WarmUp {

    /** The commands whose worker warms up: they read an IMAP server's folder listings. */
    private static final List<String> COMMANDS = List.of("backup", "migrate");

    private WarmUp() { }

    /**
     * Starts the warm-up thread when this JVM is the launcher's worker running a command that reads
     * a server's listings.
     *
     * @param args the program's arguments
     */
    static void startIfWorker(String[] args) {
        if (System.getProperty(Launcher.LAUNCHED_BY) == null || args.length == 0 || !COMMANDS.contains(args[0])) {
            return;
        }
        Thread t = new Thread(WarmUp::run, "imapbackup-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Initializes; returns what failed (logging may not be configured yet: nothing is logged).
     *
     * @return the failures, empty when every step was done
     */
    static List<Throwable> run() {
        List<Throwable> failed = new ArrayList<>();
        try {
            // Angus parses every INTERNALDATE with one static MailDateFormat: a SimpleDateFormat
            // whose first use loads the calendar and the locale data
            Class.forName(INTERNALDATE.class.getName(), true, WarmUp.class.getClassLoader());
            new jakarta.mail.internet.MailDateFormat().parse("17-Jul-1996 02:44:25 -0700");
        } catch (Exception | LinkageError e) {
            failed.add(e);
        }
        // not the security providers (the first digest), nor the mail session's provider tables: the
        // main thread needs them at once for a TLS handshake, and then waited for this thread (a run
        // with nothing new over TLS took 0.1 s longer)
        return failed;
    }
}
