package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the worker's class archive lives, when a run dumps one, uses one, or runs without. */
class WorkerClassArchiveTest {

    @TempDir
    Path tmp;

    private Path jar;
    private Path cache;

    @BeforeEach
    void jar() throws Exception {
        jar = Files.writeString(tmp.resolve("imapbackup.jar"), "a jar");
        cache = tmp.resolve("cache/imapbackup");
    }

    /** A run that may use TLS (the default). */
    private WorkerClassArchive run(String command) {
        return WorkerClassArchive.forRun(null, cache, jar.toString(), List.of(), List.of(command, "--quiet"), 7);
    }

    /** A run with plain connections only. */
    private WorkerClassArchive plain(String command) {
        return WorkerClassArchive.forRun(null, cache, jar.toString(), List.of(),
                List.of(command, "--security", "none", "--quiet"), 7);
    }

    /** {@return the class list a worker is told to write} */
    private static Path classList(WorkerClassArchive w) {
        String option = w.options().get(w.options().size() - 1);
        assertThat(option).startsWith(LIST);
        return Path.of(option.substring(LIST.length()));
    }

    private static final String LIST = "-XX:DumpLoadedClassList=";

    /** A worker's run: it writes its class list. */
    private static Path worked(WorkerClassArchive w) throws Exception {
        return worked(w, "java/lang/Object id: 0");
    }

    /** A worker's run that loads these classes. */
    private static Path worked(WorkerClassArchive w, String... lines) throws Exception {
        return Files.writeString(classList(w), "# a comment\n" + String.join("\n", lines) + "\n");
    }

    /** {@return the names of the files in the cache, sorted} */
    private List<String> names() throws Exception {
        return files().stream().map(f -> f.getFileName().toString()).sorted().toList();
    }

    /** A dump of the list that writes an archive of a size. */
    private static WorkerClassArchive.Dumper writing(int size) {
        return (list, archive) -> {
            assertThat(list).exists();
            Files.write(archive, new byte[size]);
            return true;
        };
    }

    private List<Path> files() throws Exception {
        try (var s = Files.list(cache)) {
            return s.toList();
        }
    }

    @Test
    void theCacheIsTheUsersUnlessTestsSayOtherwise() {
        assertThat(WorkerClassArchive.cacheDir("/t/c", "/x", "/home/a")).isEqualTo(Path.of("/t/c"));
        assertThat(WorkerClassArchive.cacheDir(null, "/x", "/home/a")).isEqualTo(Path.of("/x/imapbackup"));
        assertThat(WorkerClassArchive.cacheDir(null, "relative", "/home/a")).as("XDG: absolute only")
                .isEqualTo(Path.of("/home/a/.cache/imapbackup"));
        assertThat(WorkerClassArchive.cacheDir(null, null, "/home/a")).isEqualTo(Path.of("/home/a/.cache/imapbackup"));
        assertThat(WorkerClassArchive.cacheDir(null, null, "?")).isNull();
    }

    @Test
    void aBackupRunWithoutAnArchiveDumpsOneThatBecomesTheArchiveWhenTheWorkerSucceeds() throws Exception {
        assertThat(run("folders")).as("only backup runs dump").isNull();
        for (String help : List.of("--help", "-h", "--version", "-V")) {
            assertThat(WorkerClassArchive.forRun(null, cache, jar.toString(), List.of(), List.of("backup", help), 7))
                    .as("%s loads too few classes for an archive", help).isNull();
        }
        WorkerClassArchive first = run("backup");
        assertThat(first.options()).startsWith(WorkerClassArchive.QUIET).hasSize(2);
        Path list = classList(first);
        assertThat(list.getParent()).isEqualTo(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        worked(first);
        first.finish(0, writing(1234));
        assertThat(files()).singleElement().satisfies(f -> assertThat(f.getFileName().toString())
                .startsWith("worker-").endsWith("-1234.jsa"));
        assertThat(list).as("the class list is deleted").doesNotExist();
        Path archive = files().get(0);

        for (String command : List.of("backup", "restore")) {
            WorkerClassArchive next = run(command);
            assertThat(next.options()).containsExactly(WorkerClassArchive.QUIET, "-XX:SharedArchiveFile=" + archive);
            next.finish(0, (l, a) -> {
                throw new AssertionError("no dump when an archive is mapped");
            });
            assertThat(files()).containsExactly(archive);
        }
    }

    @Test
    void aFailedOrInterruptedWorkersClassListIsDeletedWithoutADump() throws Exception {
        for (int status : new int[] {1, 130, -1}) {
            WorkerClassArchive w = run("backup");
            worked(w);
            w.finish(status, (l, a) -> {
                throw new AssertionError("no dump after status " + status);
            });
            assertThat(files()).as("status %d", status).isEmpty();
        }
    }

    @Test
    void aDumpThatFailsLeavesNothingAndTheNextBackupListsAgain() throws Exception {
        List<WorkerClassArchive.Dumper> failing = List.of(
                (l, a) -> false,
                (l, a) -> {
                    Files.write(a, new byte[100]); // written, then failed
                    return false;
                },
                (l, a) -> true, // nothing written
                (l, a) -> {
                    throw new java.io.IOException("cannot run java");
                });
        for (WorkerClassArchive.Dumper d : failing) {
            WorkerClassArchive w = run("backup");
            worked(w);
            assertThat(w.finish(0, d)).isNull();
            assertThat(files()).isEmpty();
        }
        WorkerClassArchive w = run("backup");
        assertThat(w.finish(0, writing(10))).as("the worker wrote no list").isNull();
        assertThat(files()).isEmpty();
        assertThat(run("backup").options().get(1)).startsWith(LIST);
    }

    @Test
    void aLauncherStoppedWhileTheArchiveIsDumpedLeavesNothingButKeepsAnArchiveMadeBefore() throws Exception {
        WorkerClassArchive w = run("backup");
        worked(w);
        assertThat(w.finish(0, (list, archive) -> {
            Files.write(archive, new byte[100]);
            w.abandon(); // the launcher's shutdown hook, on Ctrl-C or SIGTERM during the dump
            return true;
        })).isNull();
        assertThat(files()).isEmpty();

        WorkerClassArchive v = run("backup");
        worked(v);
        v.finish(0, writing(10));
        Path archive = files().get(0);
        v.abandon(); // the hook at the launcher's normal exit
        run("backup").abandon();
        assertThat(files()).containsExactly(archive);
    }

    @Test
    void theDumpIsAJvmOfItsOwnOnTheWorkersClassPathWithTheWorkersCollector() {
        List<String> c = WorkerClassArchive.dumpCommand("/j/bin/java", "rel/imapbackup.jar", Path.of("/c/l"), Path.of("/c/a"));
        assertThat(c).startsWith("/j/bin/java", "-Xshare:dump").contains(WorkerClassArchive.QUIET,
                "-XX:SharedClassListFile=/c/l", "-XX:SharedArchiveFile=/c/a", "-XX:+UseSerialGC").endsWith("-cp",
                "rel/imapbackup.jar");
        assertThat(Launcher.CHILD_OPTIONS).as("the worker's collector").contains("-XX:+UseSerialGC");
    }

    @Test
    void anArchiveAWorkerCrashedWithIsDeletedAndNamedOnlyThen() throws Exception {
        WorkerClassArchive w = run("backup");
        worked(w);
        assertThat(w.finish(0, writing(100))).isNull();
        Path archive = files().get(0);
        for (int status : new int[] {0, 1, 2, 130, 143, -1}) {
            assertThat(run("backup").finish(status, writing(1))).as("status %d", status).isNull();
            assertThat(archive).as("status %d", status).exists();
        }
        assertThat(WorkerClassArchive.crashed(134)).isTrue();
        assertThat(run("backup").finish(134, writing(1))).isEqualTo(archive);
        assertThat(archive).doesNotExist();
        assertThat(run("backup").options().get(1)).as("made again").startsWith(LIST);
    }

    @Test
    void aTruncatedArchiveIsDeletedAndMadeAgain() throws Exception {
        WorkerClassArchive w = run("backup");
        worked(w);
        w.finish(0, writing(1000));
        Path archive = files().get(0);
        Files.write(archive, new byte[999]); // HotSpot 17 dies of SIGBUS on it
        assertThat(run("backup").options().get(1)).startsWith(LIST);
        assertThat(archive).doesNotExist();
    }

    @Test
    void anotherBuildOrJvmGetsAnArchiveOfItsOwnAndOnlyTheNewestFourAreKept() throws Exception {
        for (int build = 0; build < 6; build++) {
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * build));
            WorkerClassArchive w = run("backup");
            assertThat(w.options().get(1)).as("build %d", build).startsWith(LIST);
            worked(w);
            w.finish(0, writing(10));
        }
        assertThat(files()).hasSize(4);
        assertThat(WorkerClassArchive.key("/j", "17", "a.jar", 1, 2)).isNotEqualTo(WorkerClassArchive.key("/j", "21", "a.jar", 1, 2))
                .isNotEqualTo(WorkerClassArchive.key("/j", "17", "/x/a.jar", 1, 2))
                .isNotEqualTo(WorkerClassArchive.key("/j", "17", "a.jar", 1, 3));
    }

    @Test
    void noArchiveWhenOptedOutNotAJarTheUsersOwnSharingOptionsOrNoPrivateCache() throws Exception {
        for (String off : List.of("0", "off", "FALSE")) {
            assertThat(WorkerClassArchive.forRun(off, cache, jar.toString(), List.of(), List.of("backup"), 1)).isNull();
        }
        assertThat(WorkerClassArchive.forRun("1", cache, jar.toString(), List.of(), List.of("backup"), 1)).isNotNull();
        assertThat(WorkerClassArchive.forRun(null, cache, jar + ":" + jar, List.of(), List.of("backup"), 1)).isNull();
        assertThat(WorkerClassArchive.forRun(null, cache, tmp.toString(), List.of(), List.of("backup"), 1)).isNull();
        for (String user : List.of("-Xshare:off", "-XX:SharedArchiveFile=/a.jsa", "-XX:ArchiveClassesAtExit=/b",
                "-XX:DumpLoadedClassList=/c", "-Xlog:all")) {
            assertThat(WorkerClassArchive.forRun(null, cache, jar.toString(), List.of(user), List.of("backup"), 1))
                    .as(user).isNull();
        }
        assertThat(WorkerClassArchive.forRun(null, null, jar.toString(), List.of(), List.of("backup"), 1)).isNull();
        Path file = Files.writeString(tmp.resolve("file"), "");
        assertThat(WorkerClassArchive.forRun(null, file.resolve("imapbackup"), jar.toString(), List.of(),
                List.of("backup"), 1)).as("cannot be created").isNull();
        Path shared = Files.createDirectory(tmp.resolve("shared"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(WorkerClassArchive.forRun(null, shared, jar.toString(), List.of(), List.of("backup"), 1))
                .as("others may write there").isNull();
        assertThat(WorkerClassArchive.forRun(null, Path.of("/tmp/none"), jar.resolve("missing.jar").toString(), List.of(),
                List.of("backup"), 1)).isNull();
    }
    @Test
    void aPlainRunsArchiveKeepsItsListAndTheFirstBackupOverTlsMakesOneForBothFromTheirLists() throws Exception {
        WorkerClassArchive first = plain("backup");
        assertThat(first.options()).hasSize(2);
        worked(first, "java/lang/Object", "a/FullBackup", "@lambda-proxy a/FullBackup run ()V");
        first.finish(0, writing(100));
        assertThat(names()).hasSize(2).allMatch(n -> n.matches("worker-[0-9a-f]+-plain-100\\.(jsa|classes)"));
        Path plainArchive = cache.resolve(names().get(1));
        assertThat(plainArchive.toString()).endsWith(".jsa");
        assertThat(WorkerClassArchive.listOf(plainArchive)).hasContent(
                "# a comment\njava/lang/Object\na/FullBackup\n@lambda-proxy a/FullBackup run ()V\n");

        for (WorkerClassArchive mapsOnly : List.of(plain("backup"), run("restore"), plain("migrate"))) {
            assertThat(mapsOnly.options()).containsExactly(WorkerClassArchive.QUIET, "-XX:SharedArchiveFile=" + plainArchive);
        }
        WorkerClassArchive tls = run("backup");
        assertThat(tls.options()).as("maps the plain runs' archive and lists its classes").hasSize(3)
                .startsWith(WorkerClassArchive.QUIET, "-XX:SharedArchiveFile=" + plainArchive);
        worked(tls, "java/lang/Object", "sun/security/ssl/SSLSocketImpl");
        List<String> dumped = new java.util.ArrayList<>();
        tls.finish(0, (list, archive) -> {
            dumped.addAll(Files.readAllLines(list));
            Files.write(archive, new byte[200]);
            return true;
        });
        assertThat(dumped).as("the TLS run's classes and those of the plain run it lacked, each once").containsExactly(
                "# a comment", "java/lang/Object", "sun/security/ssl/SSLSocketImpl", "a/FullBackup",
                "@lambda-proxy a/FullBackup run ()V");
        assertThat(names()).singleElement().asString().matches("worker-[0-9a-f]+-tls-200\\.jsa");
        Path tlsArchive = files().get(0);
        for (WorkerClassArchive next : List.of(run("backup"), plain("backup"), run("folders"))) {
            assertThat(next.options()).containsExactly(WorkerClassArchive.QUIET, "-XX:SharedArchiveFile=" + tlsArchive);
        }
    }

    @Test
    void theFirstBackupOverTlsThatFailsKeepsThePlainArchiveAndOneThatCrashesWithItDeletesIt() throws Exception {
        WorkerClassArchive first = plain("backup");
        worked(first);
        first.finish(0, writing(100));
        List<String> plainFiles = names();
        for (int status : new int[] {1, 130}) {
            WorkerClassArchive tls = run("backup");
            worked(tls);
            tls.finish(status, writing(200));
            assertThat(names()).as("status %d: no dump", status).isEqualTo(plainFiles);
        }
        WorkerClassArchive failing = run("backup");
        worked(failing);
        failing.finish(0, (l, a) -> false);
        assertThat(names()).as("a dump that failed").isEqualTo(plainFiles);

        WorkerClassArchive crashing = run("backup");
        worked(crashing);
        assertThat(crashing.finish(134, writing(1))).isEqualTo(cache.resolve(plainFiles.get(1)));
        assertThat(files()).as("the archive, its list and the class list").isEmpty();
    }

    @Test
    void aPlainArchiveWithoutItsListIsMappedByTlsRunsAsItIs() throws Exception {
        WorkerClassArchive first = plain("backup");
        worked(first);
        first.finish(0, writing(100));
        Path archive = cache.resolve(names().get(1));
        Files.delete(WorkerClassArchive.listOf(archive));
        assertThat(run("backup").options()).containsExactly(WorkerClassArchive.QUIET, "-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void theListsOfArchivesThatAreDeletedGoWithThem() throws Exception {
        for (int build = 0; build < 6; build++) {
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * build));
            WorkerClassArchive w = plain("backup");
            worked(w);
            w.finish(0, writing(10));
        }
        assertThat(names()).hasSize(8).filteredOn(n -> n.endsWith(".classes")).hasSize(4)
                .allSatisfy(n -> assertThat(cache.resolve(n.replace(".classes", ".jsa"))).exists());
        String mapped = plain("backup").options().get(1);
        Path archive = Path.of(mapped.substring(mapped.indexOf('=') + 1));
        assertThat(WorkerClassArchive.listOf(archive)).exists();
        Files.write(archive, new byte[9]); // truncated
        assertThat(plain("backup").options().get(1)).startsWith(LIST);
        assertThat(WorkerClassArchive.listOf(archive)).doesNotExist();
    }
}
