package io.github.imapbackup.examples.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;

/**
 * Initializes, on a daemon thread of the launcher's worker, what the run needs soon and a cold JVM
 * takes long to set up, while the main thread sets up logging, parses the command line and logs in
 * (docs/benchmarks-imap.md, "Folder order and three connections", "TLS's start" and "The warm-up
 * thread: picocli's annotations and SHA-256"):
 * <ul>
 * <li>for every command: the annotations of the command's classes ({@link #annotations}), which
 * picocli reads to build the command's model; the JDK parses them on first use, and the main
 * thread then finds them parsed (building the model of {@code backup} alone, in a JVM without the
 * class archive: 100 ms instead of 165 when this had 50 ms of a head start, 130 with none);</li>
 * <li>for {@code backup} and {@code migrate}, which read a server's listings, and unless every
 * {@code --security} option given says {@code none}, or every TLS connection is
 * {@code --insecure}: the JDK's table of its own CA
 * certificates. The JDK's host name check reads it in each handshake (a certificate that chains to
 * a public CA is held to stricter wildcard rules); the first read parses the 140-odd certificates
 * of {@code cacerts}, about 50 ms cold, whichever trust store the run uses. The class is internal
 * and named by a string: on a JDK without it the step fails and the handshake does it as before;</li>
 * <li>for those two: the first {@code INTERNALDATE} of a folder's listing loads the JVM's calendar
 * and locale data (about 80 ms cold, on the way from the listing to the first body);</li>
 * <li>for those two: SHA-256 ({@link #hashing}), which the archive computes of every message and
 * the interpreter runs at about 8 MB a second, until C2 has compiled it.</li>
 * </ul>
 * Only the program's worker does this: a library never starts threads in its host for its own
 * speed. Nothing here has an effect besides initializing classes and the JIT's work; whatever
 * fails, the run goes on and does it itself.
 */
final class WarmUp {

    /** The commands that read an IMAP server's folder listings: their warm-up does every step. */
    private static final List<String> COMMANDS = List.of("backup", "migrate");

    /** The JDK's table of its own CA certificates, which its host name check reads (see the class comment). */
    static final String JDK_CA_TABLE = "sun.security.util.AnchorCertificates";

    /** The blocks {@link #hashing} hashes, and their size: C2 compiles SHA-256 once 64 KiB were hashed. */
    static final int SHA_BLOCK = 64 << 10;
    static final int SHA_BLOCKS = 2;

    private WarmUp() { }

    /**
     * Starts the warm-up thread when this JVM is the launcher's worker running a command.
     *
     * @param args the program's arguments
     */
    static void startIfWorker(String[] args) {
        if (System.getProperty(Launcher.LAUNCHED_BY) == null || args.length == 0) {
            return;
        }
        Class<?> command = Main.commandClass(args[0]);
        if (command == null) {
            return; // an option, a typo: picocli builds every command's model and says what is wrong
        }
        boolean listings = COMMANDS.contains(args[0]);
        boolean caTable = listings && checksCertificates(args);
        Thread t = new Thread(() -> run(command, listings, caTable), "imapbackup-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Initializes; returns what failed (logging may not be configured yet: nothing is logged).
     *
     * @param command the class of the command the run names
     * @param listings whether the command reads a server's listings and stores messages
     *     ({@link #COMMANDS}): then the steps after the annotations are done too
     * @param caTable whether a connection may check a certificate ({@link #checksCertificates}): then the
     *     JDK's CA table is read after the annotations
     * @return the failures, empty when every step was done
     */
    static List<Throwable> run(Class<?> command, boolean listings, boolean caTable) {
        List<Throwable> failed = new ArrayList<>();
        try {
            annotations(command); // first: the main thread needs them about 50 ms after this thread starts
        } catch (RuntimeException | LinkageError e) {
            failed.add(e);
        }
        if (!listings) {
            return failed;
        }
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
        try {
            hashing();
        } catch (Exception | LinkageError e) {
            failed.add(e);
        }
        // not the mail session's provider tables, nor a handshake's own classes: the main thread needs
        // them at once, and then waited for this thread (a run with nothing new over TLS took 0.1 s
        // longer when the first security provider was set up here after the date parser; the CA
        // table, right after the annotations, is done well before the main thread's handshake)
        return failed;
    }

    /**
     * Reads the annotations of a command's classes: of the class, its superclasses, its fields and
     * methods, and so of the mixins and argument groups its fields hold (classes of this package),
     * and of {@link Main.Top}, the top command. Picocli builds the command's model from them, and the
     * JDK parses a member's annotations the first time they are asked for (making a proxy class for
     * each annotation type), then keeps them for every later reader.
     *
     * @param command the command's class
     * @return the classes whose annotations were read
     */
    static Set<Class<?>> annotations(Class<?> command) {
        for (Method m : Object.class.getMethods()) { // picocli looks at these first, for every class
            m.getDeclaredAnnotations();
        }
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(command, Main.Top.class));
        Set<Class<?>> read = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            for (Class<?> c = todo.pop(); c != null && c != Object.class && read.add(c); c = c.getSuperclass()) {
                c.getDeclaredAnnotations();
                for (Field f : c.getDeclaredFields()) {
                    f.getDeclaredAnnotations();
                    if (f.getType().getPackage() == WarmUp.class.getPackage()) {
                        todo.push(f.getType());
                    }
                }
                for (Method m : c.getDeclaredMethods()) {
                    m.getDeclaredAnnotations();
                }
            }
        }
        return read;
    }

    /**
     * Hashes {@link #SHA_BLOCKS} blocks of zeros with SHA-256, as the archive hashes every message:
     * the interpreter hashes about 8 MB a second, C2's code (with the CPU's SHA instructions) a
     * hundred times as much. With the worker's compiler options, C2 compiled the block function
     * ({@code SHA2.implCompress0}) once 64 KiB were hashed ({@code -XX:+PrintCompilation}); this
     * hashes twice that, about 16 ms in the interpreter.
     *
     * @return the digest
     * @throws NoSuchAlgorithmException on a JDK without SHA-256
     */
    static byte[] hashing() throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[SHA_BLOCK];
        for (int i = 0; i < SHA_BLOCKS; i++) {
            sha.update(block);
        }
        return sha.digest();
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
