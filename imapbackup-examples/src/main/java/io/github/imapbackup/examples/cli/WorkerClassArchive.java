package io.github.imapbackup.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The worker's class-data sharing archive (docs/CLI.md, "Start-up"): the classes a {@code backup}
 * run loads, the JDK's and the jar's, kept in the user's cache directory so that the next workers map
 * them instead of reading, parsing and verifying them again. The first {@code backup} run that finds
 * none writes the names of the classes it loads into a file of its own
 * ({@code -XX:DumpLoadedClassList}); once that worker ended with status 0, the launcher has a JVM of
 * its own dump them into a static archive ({@code -Xshare:dump}) and gives it its name. A static
 * archive rather than a dynamic one ({@code -XX:ArchiveClassesAtExit}): HotSpot 17 keeps classes of
 * old class files (picocli's are Java 5's) out of a dynamic archive, and maps one archive instead of
 * the JDK's and a dynamic one on top of it; a worker then reached its first connection about 50 ms
 * sooner (docs/benchmarks-imap.md, "A static class archive"). A plain run ({@code --security none})
 * loads none of TLS's classes: its archive is named so ({@code -plain-}) and its class list kept beside
 * it, and the first {@code backup} over TLS that maps it lists its own classes too; the archive made
 * from both lists ({@code -tls-}) replaces it (docs/benchmarks-imap.md, "One archive for plain and
 * TLS runs"). Named by the JVM and the jar (the class path
 * as given, which the archive records and HotSpot compares; the jar's absolute path, size and time),
 * so another JVM, another build or another spelling of its path gets its own; the size is in the name
 * and checked before use, since HotSpot 17 crashes on a truncated archive. The JVM's messages about
 * the archive are switched off: a stale or foreign archive is ignored silently. Whatever fails here
 * (no cache directory, a read-only one, one that others may write, a dump that fails), the worker
 * runs without an archive.
 */
final class WorkerClassArchive {

    /** The opt-out: {@code 0} (or {@code off}, {@code false}) runs every worker without an archive. */
    static final String OPT_OUT_ENV = "IMAPBACKUP_CLASS_ARCHIVE";
    /** The cache directory's location for tests (a system property of the launcher); else XDG's. */
    static final String CACHE_PROPERTY = "imapbackup.cacheDir";

    /** What silences HotSpot's messages about archives (a stale one's warning, the dump's). */
    static final String QUIET = "-Xlog:cds*=off,class+path*=off";
    /** Archives kept in the directory: a few installed builds or JDKs; older ones are deleted. */
    private static final int KEEP = 4;
    /** The name part of an archive made by a run that may use TLS, and of one made by a plain run. */
    private static final String TLS = "tls-";
    private static final String PLAIN = "plain-";
    /** A class list or dump left this long by a worker or dump that died is deleted by the next dump. */
    private static final Duration ABANDONED = Duration.ofHours(1);
    /** The longest a dump may take (it took 1.8-2.4 s here); a slower one is stopped, and no archive made. */
    static final Duration DUMP_TIME = Duration.ofMinutes(2);

    /**
     * What makes the archive from a worker's class list: a JVM of its own in the launcher
     * ({@link #dumpCommand}); a test's stand-in in tests.
     */
    @FunctionalInterface
    interface Dumper {
        /**
         * Dumps the classes of a list into an archive.
         *
         * @param classList the worker's class list
         * @param archive the file to write
         * @return whether the archive was written
         * @throws IOException when the dump cannot be started
         * @throws InterruptedException when the wait was interrupted
         */
        boolean dump(Path classList, Path archive) throws IOException, InterruptedException;
    }

    private final Path dir;
    private final String prefix;
    private final String classPath;
    /** The worker's class list, written by it; null when the worker only maps an archive. */
    private final Path classList;
    /** Whether the worker's run may use TLS: the archive made from its list then holds TLS's classes. */
    private final boolean tls;
    /** The archive being dumped from the class list, before it gets its name; null with {@link #classList}. */
    private final Path dump;
    private final Path mapped;
    private final List<String> options;
    /** The dump's JVM while it runs. */
    private volatile Process dumping;
    /** Set once the launcher is stopped by a signal: no archive is made, and what was begun is deleted. */
    private volatile boolean abandoned;

    private WorkerClassArchive(Path dir, String prefix, String classPath, Path classList, boolean tls, Path mapped,
            List<String> options) {
        this.dir = dir;
        this.prefix = prefix;
        this.classPath = classPath;
        this.classList = classList;
        this.tls = tls;
        this.dump = classList == null ? null
                : classList.resolveSibling(classList.getFileName().toString().replace(".classes.tmp", ".jsa.tmp"));
        this.mapped = mapped;
        this.options = options;
    }

    /**
     * In the launcher: the archive options for this run's worker, or null when it runs without.
     *
     * @param optOut the value of {@link #OPT_OUT_ENV}, or null
     * @param cacheDir the directory for archives (see {@link #cacheDir}), or null
     * @param classPath the class path (the jar, run with {@code java -jar})
     * @param jvmArguments the launcher's JVM arguments (the user's: an archive option of theirs wins)
     * @param args the program's arguments: a {@code backup} run lists its classes for an archive, any run
     *     uses one
     * @param pid the launcher's process id, for the class list's file name
     * @return the archive for the worker, or null
     */
    static WorkerClassArchive forRun(String optOut, Path cacheDir, String classPath, List<String> jvmArguments,
            List<String> args, long pid) {
        if (optOut != null && (optOut.equals("0") || optOut.equalsIgnoreCase("off") || optOut.equalsIgnoreCase("false"))
                || cacheDir == null || classPath == null || !classPath.endsWith(".jar")
                || classPath.indexOf(java.io.File.pathSeparatorChar) >= 0
                || !String.valueOf(System.getProperty("java.vm.info")).contains("sharing")) {
            return null; // no base archive in this JVM: a dump would complain
        }
        for (String a : jvmArguments) {
            if (a.startsWith("-Xshare") || a.contains("SharedArchiveFile") || a.contains("ArchiveClassesAtExit")
                    || a.contains("DumpLoadedClassList") || a.startsWith("-Xlog")) {
                return null; // the user's own sharing or logging choices
            }
        }
        try {
            Path jar = Path.of(classPath).toAbsolutePath();
            String prefix = "worker-" + key(System.getProperty("java.home"), System.getProperty("java.vm.version"),
                    classPath + "\n" + jar, Files.size(jar), Files.getLastModifiedTime(jar).toMillis()) + "-";
            if (!privateDirectory(cacheDir)) {
                return null;
            }
            // a real run of the nightly command makes the archive that every command uses
            boolean backup = !args.isEmpty() && args.get(0).equals("backup") && !args.contains("--help")
                    && !args.contains("-h") && !args.contains("--version") && !args.contains("-V");
            boolean tls = !WarmUp.plainOnly(args.toArray(new String[0]));
            Found found = find(cacheDir, prefix);
            if (found != null && (found.tls() || !backup || !tls || !Files.isRegularFile(listOf(found.file())))) {
                return new WorkerClassArchive(cacheDir, prefix, classPath, null, false, found.file(),
                        List.of(QUIET, "-XX:SharedArchiveFile=" + found.file()));
            }
            if (!backup) {
                return null;
            }
            Path list = cacheDir.resolve(prefix + pid + "-" + Long.toHexString(System.nanoTime()) + ".classes.tmp");
            if (found != null) {
                // the first backup over TLS after plain ones: it maps their archive and lists what it
                // loads; the archive made from its list and theirs holds TLS's classes with the rest
                return new WorkerClassArchive(cacheDir, prefix, classPath, list, true, found.file(),
                        List.of(QUIET, "-XX:SharedArchiveFile=" + found.file(), "-XX:DumpLoadedClassList=" + list));
            }
            return new WorkerClassArchive(cacheDir, prefix, classPath, list, tls, null,
                    List.of(QUIET, "-XX:DumpLoadedClassList=" + list));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The user's cache directory for archives: {@link #CACHE_PROPERTY}, else
     * {@code $XDG_CACHE_HOME/imapbackup}, else {@code ~/.cache/imapbackup}; null without a home.
     */
    static Path cacheDir(String property, String xdgCacheHome, String userHome) {
        if (property != null && !property.isEmpty()) {
            return Path.of(property);
        }
        if (xdgCacheHome != null && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "imapbackup");
        }
        return userHome == null || userHome.isEmpty() || userHome.equals("?") ? null
                : Path.of(userHome, ".cache", "imapbackup");
    }

    /** {@return the options for the worker} */
    List<String> options() {
        return options;
    }

    /**
     * In the launcher, after the worker: the class list of a worker that ended with status 0 is dumped
     * into the archive (its size in its name) by a JVM of its own; any other list is deleted. A worker
     * that mapped the archive and ended as a crashed JVM does ({@link #crashed}) may have crashed on it
     * (HotSpot 17 does on an archive damaged in place): the archive is deleted, so the next run makes
     * a new one.
     *
     * @param status the worker's exit status
     * @param java the {@code java} binary that ran the worker
     * @return the archive deleted because the worker crashed with it, or null
     */
    Path finish(int status, String java) {
        return finish(status, (list, archive) -> runDump(dumpCommand(java, classPath, list, archive)));
    }

    /**
     * In the launcher stopped by a signal (its shutdown hook): stops a dump that runs and deletes the
     * class list and the dump begun; an archive that has its name stays.
     */
    void abandon() {
        abandoned = true;
        Process p = dumping;
        if (p != null) {
            p.destroyForcibly();
        }
        if (classList != null) {
            delete(classList);
            delete(dump);
        }
    }

    /**
     * {@link #finish(int, String)} with a dumper of the caller's.
     *
     * @param status the worker's exit status
     * @param dumper what makes the archive from the class list
     * @return the archive deleted because the worker crashed with it, or null
     */
    Path finish(int status, Dumper dumper) {
        if (mapped != null && crashed(status)) {
            deleteArchive(mapped);
            if (classList != null) {
                delete(classList);
            }
            return mapped;
        }
        if (classList == null) {
            return null;
        }
        try {
            boolean listed = status == 0 && Files.isRegularFile(classList) && Files.size(classList) > 0;
            if (listed && mapped != null) {
                merge(listOf(mapped), classList);
            }
            if (listed && dumper.dump(classList, dump) && !abandoned && Files.isRegularFile(dump) && Files.size(dump) > 0) {
                Path archive = dir.resolve(prefix + (tls ? TLS : PLAIN) + Files.size(dump) + ".jsa");
                Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE);
                if (!tls) {
                    // kept for the first run over TLS, whose classes are added to these
                    Files.move(classList, listOf(archive), StandardCopyOption.ATOMIC_MOVE);
                }
                if (mapped != null) {
                    deleteArchive(mapped); // the plain runs' archive, whose classes the new one holds
                }
                tidy();
            }
        } catch (IOException | RuntimeException e) {
            // no archive this time; the next backup run tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(classList);
            delete(dump);
        }
        return null;
    }

    /**
     * Returns the command that dumps a class list into a static archive for the worker: the worker's
     * class path as given (the archive records it, and HotSpot compares it with the worker's), the
     * worker's collector (no archived heap objects: HotSpot 17 maps those with G1 only), and a small
     * heap and C1 alone (the dump is a few seconds of class loading; 140 MB of RSS whatever the heap).
     *
     * @param java the {@code java} binary
     * @param classPath the worker's class path
     * @param classList the worker's class list
     * @param archive the file to write
     * @return the command
     */
    static List<String> dumpCommand(String java, String classPath, Path classList, Path archive) {
        return List.of(java, "-Xshare:dump", QUIET, "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive, "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath);
    }

    /** Runs a dump without a word on the terminal; {@return whether it ended with status 0 in time} */
    private boolean runDump(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        dumping = p;
        if (abandoned) {
            p.destroyForcibly();
        }
        try {
            p.getOutputStream().close();
            return p.waitFor(DUMP_TIME.toMillis(), TimeUnit.MILLISECONDS) && p.exitValue() == 0;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * {@return whether a status is that of a JVM that crashed: HotSpot's fatal error handler ends
     * with SIGABRT (134), and a signal it could not handle ends it with SIGBUS (135) or SIGSEGV (139)}
     */
    static boolean crashed(int status) {
        return status == 134 || status == 135 || status == 139;
    }

    /** Deletes abandoned dumps, all but the newest {@value #KEEP} archives, and class lists without their archive. */
    private void tidy() throws IOException {
        List<Path> archives = new ArrayList<>();
        List<Path> lists = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "worker-*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".jsa")) {
                    archives.add(f);
                } else if (name.endsWith(".classes")) {
                    lists.add(f);
                } else if (name.endsWith(".tmp") && now - modified(f) > ABANDONED.toMillis()) {
                    delete(f);
                }
            }
        }
        archives.sort((a, b) -> Long.compare(modified(b), modified(a)));
        for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
            deleteArchive(old);
        }
        for (Path list : lists) {
            String name = list.getFileName().toString();
            if (!Files.exists(list.resolveSibling(name.substring(0, name.length() - ".classes".length()) + ".jsa"))) {
                delete(list);
            }
        }
    }

    /** {@return the class list kept beside an archive made by a plain run} */
    static Path listOf(Path archive) {
        String name = archive.getFileName().toString();
        return archive.resolveSibling(name.substring(0, name.length() - ".jsa".length()) + ".classes");
    }

    /**
     * Adds to a worker's class list the classes of an earlier list that it lacks (the earlier run's
     * own, a full backup's, which a run with nothing new does not load).
     *
     * @throws IOException when a list cannot be read or written: then no archive is made
     */
    private static void merge(Path earlier, Path list) throws IOException {
        Set<String> lines = new HashSet<>(Files.readAllLines(list, StandardCharsets.UTF_8));
        StringBuilder added = new StringBuilder();
        for (String line : Files.readAllLines(earlier, StandardCharsets.UTF_8)) {
            if (!line.isEmpty() && !line.startsWith("#") && lines.add(line)) {
                added.append(line).append('\n');
            }
        }
        Files.writeString(list, added, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Deletes an archive and the class list kept beside it. */
    private static void deleteArchive(Path archive) {
        delete(archive);
        delete(listOf(archive));
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** An archive found in the cache, and whether it was made by a run that may use TLS. */
    private record Found(Path file, boolean tls) { }

    /**
     * {@return the archive of this JVM and jar whose size is the one in its name, one made by a run over
     * TLS rather than a plain one, or null} A wrong one is deleted.
     */
    private static Found find(Path dir, String prefix) throws IOException {
        Found found = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*.jsa")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String rest = name.substring(prefix.length(), name.length() - ".jsa".length());
                boolean tls = rest.startsWith(TLS);
                String size = tls ? rest.substring(TLS.length()) : rest.startsWith(PLAIN) ? rest.substring(PLAIN.length()) : "";
                try {
                    if (Files.isRegularFile(f) && Files.size(f) == Long.parseLong(size)) {
                        if (found == null || tls && !found.tls()) {
                            found = new Found(f, tls);
                        }
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
                deleteArchive(f); // truncated: HotSpot would crash on it
            }
        }
        return found;
    }

    /** Creates the directory for the owner alone, or accepts it when no one else may write to it. */
    private static boolean privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
        return Files.isWritable(dir) && !p.contains(PosixFilePermission.GROUP_WRITE)
                && !p.contains(PosixFilePermission.OTHERS_WRITE)
                && Files.getOwner(dir).getName().equals(System.getProperty("user.name"));
    }

    /** {@return a name part for a JVM and jar: two independent 32-bit hashes of their description} */
    static String key(String javaHome, String vmVersion, String jar, long size, long modifiedMillis) {
        String s = javaHome + "\n" + vmVersion + "\n" + jar + "\n" + size + "\n" + modifiedMillis;
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue() << 32 | (s.hashCode() & 0xffffffffL)); // no Formatter in the launcher
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException | RuntimeException e) {
            // left for the next dump's tidying
        }
    }
}
