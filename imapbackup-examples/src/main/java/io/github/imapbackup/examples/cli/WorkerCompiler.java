package io.github.imapbackup.examples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.DynamicMBean;
import org.slf4j.LoggerFactory;

/**
 * The worker JVM's compiler: C2 for the JDK's digests and ciphers only (SHA-256, TLS), everything
 * else in C1's plain code (tier 1), with C2's thresholds a tenth of the usual so that methods leave
 * C1's slower profiling code soon (docs/benchmarks-imap.md, "Worker start-up and compiler
 * directives"). HotSpot says "which compiler for which method" only through compiler directives,
 * and its command line option for them prints a line on standard output; so the launcher writes the
 * directives to a file and the worker adds them through the diagnostic command
 * {@code Compiler.directives_add} as the first thing it does, which prints nothing. Only the launcher's worker does this: a library never changes its host
 * JVM's compiler, and a run in one JVM keeps the JVM's defaults.
 *
 * <p>Whatever fails here, the run goes on: the launcher falls back to {@link Launcher#CHILD_OPTIONS}
 * when the JVM is not HotSpot or the file cannot be written, and the worker notes a refusal at DEBUG.
 */
final class WorkerCompiler {

    /** The system property that hands the worker the directives file, set by the launcher. */
    static final String FILE_PROPERTY = "imapbackup.compilerDirectives";

    /**
     * The directives: the first match wins; a method C2 may not compile is compiled by C1 at tier 1.
     * C2 may compile the JDK's digests (SHA-256 for the archive, the SHA family for TLS) and its
     * ciphers ({@code com/sun/crypto/provider}: AES, GCM's GHASH, CBC, ChaCha20 and Poly1305 with
     * its field arithmetic, HMAC): their CPU instructions (SHA-NI, AES-NI, CLMUL) are used by C2's
     * code only. Without the ciphers, a backup over TLS decrypted in C1's code: 941 MB took 22.5 s
     * and 34 CPU-seconds on loopback instead of 10 s and 9. Not the key exchange's field arithmetic:
     * its methods run thousands of times in one handshake, and C2 compiling them then made a run
     * with nothing new over TLS slower (docs/benchmarks-imap.md, "TLS and the worker's compiler").
     * And one method of ours, the mbox writer's search for line ends ({@code Bytes.indexOfNewline},
     * eight bytes at a time through a {@code VarHandle}, which C1 does not inline): 0.48 of a full
     * backup's 4.6 CPU-seconds per 941 MB in C1's code, 0.14 in C2's. Not the writer around it: C2
     * then spent more compiling it than it saved (docs/benchmarks-imap.md, "C2 for the line-end search").
     */
    static final String DIRECTIVES = """
            [ { match: ["sun/security/provider/SHA*.*", "sun/security/provider/DigestBase.*",
                        "sun/security/provider/ByteArrayAccess.*", "com/sun/crypto/provider/*.*",
                        "sun/security/util/math/intpoly/IntegerPolynomial1305.*",
                        "io/github/imapbackup/mbox/internal/Bytes.indexOfNewline"], c2: { Exclude: false } },
              { match: "*.*", c2: { Exclude: true } } ]
            """;

    /** The JDK-internal package of the diagnostic commands, opened to the worker for the quick route. */
    static final String INTERNAL_MODULE = "jdk.management";
    static final String INTERNAL_PACKAGE = "com.sun.management.internal";

    /**
     * The worker's compiler options with directives (besides the collector's): C2 thresholds a tenth of
     * the defaults; C1's profiling tier (3) at five times its thresholds, with the interpreter's
     * profiles started at a fifth of them (the default threshold, 200 calls); and the internal package
     * opened ({@link #add}). A method whose interpreter profile reaches C2's thresholds then goes from
     * the interpreter to C2, or, excluded from C2 by the directives, straight to C1's plain code
     * (tier 1), without the profiled tier-3 code that every method compiled first before: in a run
     * with nothing new over TLS, tier 3 took 0.40 of C1's 0.50 s (1,005 methods), and a full backup
     * spent about 5 % less CPU without it (docs/benchmarks-imap.md, "C1 without its profiling tier").
     */
    static final List<String> OPTIONS = List.of("-XX:Tier4InvocationThreshold=500", "-XX:Tier4MinInvocationThreshold=60",
            "-XX:Tier4CompileThreshold=1500", "-XX:Tier4BackEdgeThreshold=4000",
            "-XX:Tier3InvocationThreshold=1000", "-XX:Tier3MinInvocationThreshold=1000",
            "-XX:Tier3CompileThreshold=10000", "-XX:Tier3BackEdgeThreshold=300000",
            "-XX:Tier0ProfilingStartPercentage=20",
            "--add-opens=" + INTERNAL_MODULE + "/" + INTERNAL_PACKAGE + "=ALL-UNNAMED");

    /** What {@link #addIfAsked} did, for one DEBUG line once logging is configured; null when nothing. */
    private static volatile String outcome;

    private WorkerCompiler() { }

    /**
     * In the launcher: whether the worker can be given directives: a HotSpot server JVM (the worker
     * runs the same {@code java}) whose {@code jdk.management} module has the diagnostic commands.
     *
     * @param vmName {@code java.vm.name}
     * @param internalPackage whether {@link #INTERNAL_PACKAGE} is in the boot layer's {@link #INTERNAL_MODULE}
     * @return whether to write the directives for the worker
     */
    static boolean supported(String vmName, boolean internalPackage) {
        return internalPackage && vmName != null && vmName.contains("Server VM")
                && (vmName.contains("HotSpot") || vmName.startsWith("OpenJDK"));
    }

    /** {@return whether this JVM's boot layer has the diagnostic commands' internal package} */
    static boolean internalPackage() {
        Optional<Module> m = ModuleLayer.boot().findModule(INTERNAL_MODULE);
        return m.isPresent() && m.get().getPackages().contains(INTERNAL_PACKAGE);
    }

    /**
     * In the launcher: writes the directives to a new file, readable by the owner only, for the worker
     * to add and delete.
     *
     * @param dir the directory ({@code java.io.tmpdir})
     * @param pid the launcher's process id, part of the name
     * @return the file, or empty when it cannot be written or its name could not be passed on (the
     *     worker then runs with {@link Launcher#CHILD_OPTIONS})
     */
    static Optional<Path> write(Path dir, long pid) {
        Path file = dir.resolve("imapbackup-" + pid + "-" + Long.toHexString(System.nanoTime()) + ".directives");
        String name = file.toAbsolutePath().toString();
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i)) || name.charAt(i) == '"' || name.charAt(i) == '\'') {
                return Optional.empty(); // the diagnostic command's arguments are separated by spaces
            }
        }
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), DIRECTIVES, StandardCharsets.UTF_8,
                    StandardOpenOption.WRITE);
            return Optional.of(file);
        } catch (IOException | RuntimeException e) { // UnsupportedOperationException: not POSIX
            delete(file);
            return Optional.empty();
        }
    }

    /** Deletes the file if it is still there (the worker deletes it; the launcher after a worker that did not). */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            // a file in the temporary directory; nothing of the user's is at stake
        }
    }

    /**
     * In the worker, first thing: adds the directives of the file that the launcher named in
     * {@link #FILE_PROPERTY}, then deletes the file. Does nothing in any other JVM.
     */
    static void addIfAsked() {
        String name = System.getProperty(FILE_PROPERTY);
        if (name == null || System.getProperty(Launcher.LAUNCHED_BY) == null) {
            return;
        }
        long start = System.nanoTime();
        Path file = Path.of(name);
        try {
            String result = add(file);
            outcome = "compiler directives: " + result.strip() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms";
        } finally {
            delete(file);
        }
    }

    /** Logs what {@link #addIfAsked} did, at DEBUG, once: called when logging is configured. */
    static void logOutcome() {
        String o = outcome;
        if (o != null) {
            outcome = null;
            LoggerFactory.getLogger(WorkerCompiler.class).debug(o);
        }
    }

    /**
     * Adds the directives of a file: through the diagnostic commands' implementation when its package
     * is opened to us (about 10 ms in a cold JVM), else through the platform's public MBean for them
     * (about 60 ms: it builds the description of every command).
     *
     * @return what the JVM answered, or why nothing was added
     */
    static String add(Path file) {
        List<String> failures = new ArrayList<>(2);
        try {
            return accepted(direct(file));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            failures.add("direct: " + e);
        }
        try {
            return accepted(mbean(file));
        } catch (Exception | LinkageError e) {
            failures.add("MBean: " + e);
        }
        return "not added (" + String.join("; ", failures) + ")";
    }

    /** {@return the JVM's answer when it added directives} @throws IllegalStateException when it did not */
    private static String accepted(Object answer) {
        String s = String.valueOf(answer);
        if (!s.contains("compiler directives added") || s.startsWith("0 ")) {
            throw new IllegalStateException("refused: " + s.strip());
        }
        return s;
    }

    private static Object direct(Path file) throws ReflectiveOperationException {
        // the provider's class initialisation loads the native library the commands live in
        Class.forName(INTERNAL_PACKAGE + ".PlatformMBeanProviderImpl", true, null);
        Class<?> impl = Class.forName(INTERNAL_PACKAGE + ".DiagnosticCommandImpl", true, null);
        Method get = impl.getDeclaredMethod("getDiagnosticCommandMBean");
        get.setAccessible(true);
        Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
        execute.setAccessible(true);
        return execute.invoke(get.invoke(null), "Compiler.directives_add " + file.toAbsolutePath());
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // the diagnostic commands are a platform MBean of no MXBean type
    private static Object mbean(Path file) throws Exception {
        List<?> beans = ManagementFactory.getPlatformMXBeans((Class) DynamicMBean.class);
        return ((DynamicMBean) beans.get(0)).invoke("compilerDirectivesAdd",
                new Object[] {new String[] {file.toAbsolutePath().toString()}}, new String[] {String[].class.getName()});
    }
}
