package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.testing.imap.Dovecot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's class archive with the shipped jar, as users run it ({@code java -jar}), in a cache
 * directory of the test's: made by the first backup, mapped by the next workers, and never a word
 * from the JVM nor a failed run, whatever lies in the cache (truncated, foreign, stale).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WorkerClassArchiveIT {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) { }

    private Path jar() throws IOException {
        Path shipped = Path.of("target", "imapbackup.jar").toAbsolutePath();
        assumeTrue(Files.isRegularFile(shipped), "needs the shaded jar (mvn package)");
        Path jar = tmp.resolve("imapbackup.jar");
        if (!Files.exists(jar)) {
            Files.copy(shipped, jar, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return jar;
    }

    private ProcessBuilder program(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ChildProgram.java(),
                "-D" + WorkerClassArchive.CACHE_PROPERTY + "=" + tmp.resolve("cache"), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().remove(Launcher.IN_PROCESS_ENV);
        pb.environment().putAll(env);
        return pb;
    }

    private Run backup(DemoServer server, Map<String, String> env) throws Exception {
        return run(env, "backup", "--host", DemoServer.HOST, "--port", Integer.toString(server.port()),
                "--security", "none", "--user", "demo", "--password-env", "PW", "--dir", tmp.resolve("backup").toString());
    }

    private List<Path> cache() throws IOException {
        try (var s = Files.list(tmp.resolve("cache"))) {
            return s.sorted().toList();
        }
    }

    /** {@return the archives in the cache, without the class lists kept beside those of plain runs} */
    private List<Path> archives() throws IOException {
        return cache().stream().filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }

    private static void assertQuietSuccess(Run r, String what) {
        assertThat(r.exit()).as("%s: %s", what, r).isZero();
        assertThat(r.err()).as(what).isEmpty();
        assertThat(r.out()).as(what).startsWith("Folder").doesNotContain("[warning]").doesNotContain("[cds")
                .doesNotContainIgnoringCase("shared archive").doesNotContainIgnoringCase("CDS");
    }

    /** {@return the archive that a first backup run of a loaded demo account made, quietly} */
    private Path firstRunDumps(DemoServer server, Map<String, String> env) throws Exception {
        server.load(SampleAccount.generate(7, 16 * 1024));
        assertQuietSuccess(backup(server, env), "first run: dumps");
        Path archive = archives().get(0);
        assertThat(archive.getFileName().toString()).as("made by a plain run").contains("-plain-");
        assertThat(cache()).as("and its class list").containsExactlyInAnyOrder(archive, WorkerClassArchive.listOf(archive));
        return archive;
    }

    @Test
    void theFirstBackupMakesTheArchiveAndNothingInTheCacheFailsARunOrSpeaks() throws Exception {
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            Map<String, String> env = Map.of("PW", "demo-pw");
            Path archive = firstRunDumps(server, env);
            byte[] good = Files.readAllBytes(archive);
            assertThat(good.length).as("size").isBetween(1_000_000, 40_000_000);

            assertQuietSuccess(backup(server, env), "second run: maps it");
            assertThat(archives()).containsExactly(archive);
            assertThat(mappedByAWaitingWorker(env)).as("the worker maps the archive").contains(archive.toString());
            assertThat(classSources(archive)).as("a static archive: picocli's Java 5 classes, which a dynamic one"
                    + " leaves out, and the JDK's come from it").contains("picocli.CommandLine source: shared objects file")
                    .contains("java.lang.Object source: shared objects file")
                    .contains("io.github.imapbackup.examples.cli.Main source: shared objects file");

            Files.write(archive, java.util.Arrays.copyOf(good, good.length / 3)); // a truncated archive under its name
            assertQuietSuccess(backup(server, env), "truncated");
            assertThat(archives()).as("deleted and made again").singleElement()
                    .satisfies(f -> assertThat(f.getFileName().toString()).endsWith("-" + Files.size(f) + ".jsa"));
            Path again = archives().get(0);

            byte[] foreign = new byte[(int) Files.size(again)];
            new Random(7).nextBytes(foreign);
            Files.write(again, foreign);
            assertQuietSuccess(backup(server, env), "foreign");

            // a stale archive: this jar rebuilt (another time) and the old archive under the new name
            Files.delete(again);
            Files.delete(WorkerClassArchive.listOf(again));
            Files.write(archive, good);
            Files.setLastModifiedTime(jar(), FileTime.fromMillis(Files.getLastModifiedTime(jar()).toMillis() - 60_000));
            assertQuietSuccess(backup(server, env), "rebuilt jar: dumps its own");
            Path rebuilt = archives().stream().filter(f -> !f.equals(archive)).findFirst().orElseThrow();
            Files.delete(rebuilt);
            String name = rebuilt.getFileName().toString();
            Files.move(archive, rebuilt.resolveSibling(name.substring(0, name.lastIndexOf('-') + 1) + good.length + ".jsa"));
            assertQuietSuccess(backup(server, env), "stale");

            assertThat(tmp).isDirectoryNotContaining("glob:**/hs_err*");
        }
    }

    @Test
    void theFirstBackupOverTlsAfterPlainOnesMakesOneArchiveThatHoldsTheClassesOfBoth() throws Exception {
        try (DemoServer server = DemoServer.start("demo", "demo-pw");
                Dovecot dovecot = Dovecot.builder().tls(true).user("alice", "alice-pw").build().start()) {
            Path plain = firstRunDumps(server, Map.of("PW", "demo-pw"));
            Set<String> plainClasses = archivedClasses(plain);
            assertThat(plainClasses).contains(Main.class.getName(), "picocli.CommandLine").doesNotContain(TLS_CLASS);
            // the classes of the plain run's list (the dump archives a few more classes it loads itself)
            Set<String> listed = new HashSet<>();
            for (String l : Files.readAllLines(WorkerClassArchive.listOf(plain))) {
                if (!l.startsWith("#") && !l.startsWith("@")) {
                    listed.add(l.split(" ")[0].replace('/', '.'));
                }
            }
            plainClasses.retainAll(listed);
            assertThat(plainClasses).hasSizeGreaterThan(1000);

            // an empty account: the run over TLS loads none of the classes that copy a message
            String[] overTls = {"backup", "--host", dovecot.host(), "--port", Integer.toString(dovecot.tlsPort()),
                "--security", "tls", "--trust-store", dovecot.pemCertificate().toString(), "--user", "alice",
                "--password-env", "PW", "--dir", tmp.resolve("tls-backup").toString()};
            assertQuietSuccess(run(Map.of("PW", "alice-pw"), overTls), "first run over TLS: dumps again");
            assertThat(cache()).as("the plain archive and its list replaced by one archive").singleElement()
                    .satisfies(f -> assertThat(f.getFileName().toString()).contains("-tls-").endsWith(".jsa"));
            Path both = cache().get(0);
            assertThat(archivedClasses(both)).as("TLS's classes, and the plain run's that the TLS run did not load")
                    .contains(TLS_CLASS).containsAll(plainClasses);

            assertQuietSuccess(run(Map.of("PW", "alice-pw"), overTls), "over TLS: maps it");
            assertQuietSuccess(backup(server, Map.of("PW", "demo-pw")), "plain: maps it");
            assertThat(cache()).containsExactly(both);
            assertThat(tmp).isDirectoryNotContaining("glob:**/hs_err*");
        }
    }

    /** A class that only a run over TLS loads. */
    private static final String TLS_CLASS = "sun.security.ssl.SSLSocketImpl";

    private Run run(Map<String, String> env, String... args) throws Exception {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = program(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    /** {@return the names of the classes of the built-in loaders in an archive, as the JVM prints them} */
    private Set<String> archivedClasses(Path archive) throws Exception {
        Process p = new ProcessBuilder(ChildProgram.java(), "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive,
                "-XX:+PrintSharedArchiveAndExit", "-XX:+PrintSharedDictionary", "-cp", jar().toString(),
                Main.class.getName()).directory(tmp.toFile()).redirectErrorStream(true).start();
        Set<String> names = new HashSet<>();
        Pattern line = Pattern.compile("\\s*\\d+: (\\S+) (boot_loader|platform_loader|app_loader)");
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                Matcher m = line.matcher(l);
                if (m.matches()) {
                    names.add(m.group(1));
                }
            }
        }
        assertThat(p.waitFor()).as("the JVM prints the archive's classes").isZero();
        assertThat(names).as("classes in %s", archive).hasSizeGreaterThan(1000);
        return names;
    }

    @Test
    void anArchiveDamagedInPlaceCostsOneRunThatSaysSoAndIsMadeAgain() throws Exception {
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            Map<String, String> env = Map.of("PW", "demo-pw");
            Path archive = firstRunDumps(server, env);
            byte[] damaged = Files.readAllBytes(archive);
            byte[] noise = new byte[damaged.length / 3];
            new Random(11).nextBytes(noise);
            System.arraycopy(noise, 0, damaged, damaged.length / 3, noise.length); // same size: not caught by it
            Files.write(archive, damaged);

            Run crashed = backup(server, env);
            assertThat(crashed.exit()).as("HotSpot 17 crashes on it: %s", crashed).isIn(134, 135, 139);
            assertThat(crashed.err()).contains("the worker JVM crashed (status " + crashed.exit() + ") with the class archive "
                    + archive).contains("it is deleted").contains(WorkerClassArchive.OPT_OUT_ENV + "=0");
            assertThat(archive).as("deleted").doesNotExist();

            assertQuietSuccess(backup(server, env), "the run after: dumps a new one");
            assertThat(archives()).hasSize(1);
            assertQuietSuccess(backup(server, env), "and maps it");
        }
    }

    @Test
    void aLauncherStoppedDuringTheDumpStopsItAndLeavesNothingInTheCache() throws Exception {
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            server.load(SampleAccount.generate(5, 16 * 1024));
            Process launcher = program(Map.of("PW", "demo-pw"), "backup", "--host", DemoServer.HOST, "--port",
                    Integer.toString(server.port()), "--security", "none", "--user", "demo", "--password-env", "PW",
                    "--dir", tmp.resolve("backup").toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ProcessHandle dump = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (dump == null && launcher.isAlive() && System.nanoTime() < deadline) {
                dump = launcher.children().filter(c -> c.info().arguments().map(a -> List.of(a).contains("-Xshare:dump"))
                        .orElse(false)).findFirst().orElse(null);
                Thread.sleep(5);
            }
            assertThat(dump).as("the launcher dumps the archive after the worker").isNotNull();
            launcher.destroy(); // SIGTERM, as a service manager stops it
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(dump.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("the dump is stopped").isFalse();
            assertThat(cache()).as("no archive, no class list, no half dump").isEmpty();
        }
    }

    @Test
    void theOptOutAndAnUnusableCacheRunWithoutAnArchive() throws Exception {
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            server.load(SampleAccount.generate(3, 16 * 1024));
            assertQuietSuccess(backup(server, Map.of("PW", "demo-pw", WorkerClassArchive.OPT_OUT_ENV, "0")), "opted out");
            assertThat(tmp.resolve("cache")).doesNotExist();
            Files.writeString(tmp.resolve("cache"), "a file where the directory would be");
            assertQuietSuccess(backup(server, Map.of("PW", "demo-pw")), "no cache directory");
        }
    }

    /** {@return where a JVM with the worker's collector and the archive alone took its classes from, as it logs them} */
    private String classSources(Path archive) throws Exception {
        Path log = tmp.resolve("classes.txt");
        Process p = new ProcessBuilder(ChildProgram.java(), "-XX:+UseSerialGC", "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info:file=" + log, "-cp", jar().toString(), Main.class.getName(), "--version")
                .directory(tmp.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor()).as("-Xshare:on maps it or fails").isZero();
        return Files.readString(log);
    }

    /** Starts a worker that waits on a silent server and returns its memory map. */
    private String mappedByAWaitingWorker(Map<String, String> env) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Process p = program(env, "folders", "--host", "127.0.0.1", "--port", Integer.toString(silent.getLocalPort()),
                    "--security", "none", "--user", "u", "--password-env", "PW", "--timeout", "300")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (Socket connected = silent.accept()) {
                assertThat(connected.isConnected()).isTrue(); // the worker is at work
                ProcessHandle worker = p.children().findFirst().orElseThrow();
                return Files.readString(Path.of("/proc", Long.toString(worker.pid()), "maps"), StandardCharsets.UTF_8);
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }
}
