package io.github.imapbackup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;

/**
 * Initializes, on a daemon thread of the launcher's worker, what a backup's first folder needs and
 * a cold JVM takes long to set up, while the main thread parses the command line and logs in
 * (docs/benchmarks-imap.md, "Folder order and three connections" and "TLS's start"):
 * <ul>
 * <li>unless every {@code --security} option given says {@code none}, or every TLS connection is
 * {@code --insecure}: the JDK's table of its own CA
 * certificates. The JDK's host name check reads it in each handshake (a certificate that chains to
 * a public CA is held to stricter wildcard rules); the first read parses the 140-odd certificates
 * of {@code cacerts}, about 50 ms cold, whichever trust store the run uses. The class is internal
 * and named by a string: on a JDK without it the step fails and the handshake does it as before;</li>
 * <li>the first {@code INTERNALDATE} of a folder's listing loads the JVM's calendar and locale data
 * (about 80 ms cold, on the way from the listing to the first body).</li>
 * </ul>
 * Only the worker of {@code backup} and {@code migrate} does this: a library never starts threads
 * in its host for its own speed, and the other commands do not read a server's listing. Nothing
 * here has an effect besides initializing classes; whatever fails, the run goes on and does it itself.
 */
final class WarmUp {

    /** The commands whose worker warms up: they read an IMAP server's folder listings. */
    private static final List<String> COMMANDS = List.of("backup", "migrate");

    /** The JDK's table of its own CA certificates, which its host name check reads (see the class comment). */
    static final String JDK_CA_TABLE = "sun.security.util.AnchorCertificates";

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
        boolean caTable = checksCertificates(args);
        Thread t = new Thread(() -> run(caTable), "imapbackup-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Initializes; returns what failed (logging may not be configured yet: nothing is logged).
     *
     * @param caTable whether a connection may check a certificate ({@link #checksCertificates}): then the
     *     JDK's CA table is read first
     * @return the failures, empty when every step was done
     */
    static List<Throwable> run(boolean caTable) {
        List<Throwable> failed = new ArrayList<>();
        if (caTable) {
            try {
                Class.forName(JDK_CA_TABLE, true, null); // the boot loader's: java.base
            } catch (Exception | LinkageError e) {
                failed.add(e);
            }
        }
        try {
            // Angus parses every INTERNALDATE with one static MailDateFormat: a SimpleDateFormat
            // whose first use loads the calendar and the locale data
            Class.forName(INTERNALDATE.class.getName(), true, WarmUp.class.getClassLoader());
            new jakarta.mail.internet.MailDateFormat().parse("17-Jul-1996 02:44:25 -0700");
        } catch (Exception | LinkageError e) {
            failed.add(e);
        }
        // not the mail session's provider tables, nor a handshake's own classes: the main thread needs
        // them at once, and then waited for this thread (a run with nothing new over TLS took 0.1 s
        // longer when the first security provider was set up here after the date parser; the CA
        // table, first, is done about 0.2 s before the main thread's handshake)
        return failed;
    }

    /**
     * {@return whether a connection of the run may check a server's certificate, so that the JDK
     * reads its CA table} Not when every connection is plain ({@link #plainOnly}), nor when every
     * TLS connection skips the checks: {@code --insecure} ({@code --insecure1} and {@code
     * --insecure2} for {@code migrate}), with which the JDK never reads the table (seen with
     * {@code -Xlog:class+load}).
     *
     * @param args the program's arguments
     */
    static boolean checksCertificates(String[] args) {
        if (plainOnly(args)) {
            return false;
        }
        List<String> a = List.of(args);
        boolean migrate = !a.isEmpty() && a.get(0).equals("migrate");
        return migrate ? !(a.contains("--insecure1") && a.contains("--insecure2")) : !a.contains("--insecure");
    }

    /**
     * {@return whether the arguments ask for plain connections only: at least one {@code --security}
     * option ({@code --security1}, {@code --security2} for {@code migrate}; {@code --security=none}
     * or {@code --security none}), each of them {@code none}} A run without one uses TLS by default,
     * or the settings of a file, which are not read here.
     *
     * @param args the program's arguments
     */
    static boolean plainOnly(String[] args) {
        boolean none = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--security")) {
                int eq = a.indexOf('=');
                String v = eq >= 0 ? a.substring(eq + 1) : i + 1 < args.length ? args[i + 1] : "";
                if (!v.equals("none")) {
                    return false;
                }
                none = true;
            }
        }
        return none;
    }
}
