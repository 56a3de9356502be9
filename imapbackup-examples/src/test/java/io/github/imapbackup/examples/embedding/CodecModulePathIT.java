package io.github.imapbackup.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.cli.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optional codecs as an embedder meets them: a small application (test resources
 * {@code codec-probe}), compiled here, runs in a child JVM on the module path (as a named module
 * that requires only {@code io.github.imapbackup.mbox}) and on the class path, with and without
 * the codec's artifact and library, built from the jars and class directories of this build. With
 * them it backs up, appends, reads back and verifies; without them the store is refused with a
 * message that names what to add. The command line program, without zstd, says so in one line.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CodecModulePathIT {

    @TempDir
    static Path work;
    /** The application compiled as a module, and for the class path. */
    static Path asModule;
    static Path forClassPath;

    @TempDir
    Path dir;

    /** Where each part lives in this build (a jar, or a module's classes directory). */
    private static Map<String, Path> parts() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Class<?> c : List.of(io.github.imapbackup.BackupSession.class, io.github.imapbackup.mbox.MboxStore.class,
                org.apache.commons.compress.compressors.CompressorInputStream.class, org.apache.commons.io.IOUtils.class,
                org.apache.commons.codec.binary.Hex.class, org.apache.commons.lang3.StringUtils.class,
                org.slf4j.LoggerFactory.class, io.github.imapbackup.codec.zstd.ZstdCodec.class,
                com.github.luben.zstd.Zstd.class, io.github.imapbackup.codec.xz.XzCodec.class, org.tukaani.xz.XZ.class)) {
            try {
                out.put(c.getName(), Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** The parts, without the jars or directories holding these classes. */
    private static String path(Class<?>... without) {
        Map<String, Path> parts = parts();
        for (Class<?> c : without) {
            parts.remove(c.getName());
        }
        return parts.values().stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    @BeforeAll
    static void compile() throws Exception {
        Path src = Path.of(CodecModulePathIT.class.getResource("/codec-probe/probe/Main.java").toURI()).getParent().getParent();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        asModule = work.resolve("module");
        forClassPath = work.resolve("classpath");
        int m = javac.run(null, null, null, "-d", asModule.toString(), "--module-path", path(),
                src.resolve("module-info.java").toString(), src.resolve("probe/Main.java").toString());
        int c = javac.run(null, null, null, "-d", forClassPath.toString(), "-cp", path(),
                src.resolve("probe/Main.java").toString());
        assertThat(m).as("javac on the module path").isZero();
        assertThat(c).as("javac on the class path").isZero();
    }

    /** A finished child JVM. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private static Run java(Path tmp, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished: %s", command).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8).strip());
    }

    private Run onModulePath(String codec, Class<?>... without) throws Exception {
        return java(work, "--module-path", asModule + java.io.File.pathSeparator + path(without),
                "-m", "probe.app/probe.Main", dir.resolve("backup").toString(), codec);
    }

    private Run onClassPath(String codec, Class<?>... without) throws Exception {
        return java(work, "-cp", forClassPath + java.io.File.pathSeparator + path(without), "probe.Main",
                dir.resolve("backup").toString(), codec);
    }

    private static Class<?> provider(String codec) {
        return codec.equals("zstd") ? io.github.imapbackup.codec.zstd.ZstdCodec.class
                : io.github.imapbackup.codec.xz.XzCodec.class;
    }

    private static Class<?> library(String codec) {
        return codec.equals("zstd") ? com.github.luben.zstd.Zstd.class : org.tukaani.xz.XZ.class;
    }

    private static String suffix(String codec) {
        return codec.equals("zstd") ? ".zst" : ".xz";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd", "xz"})
    void onTheModulePathTheCodecIsFoundByServiceBindingAndWorks(String codec) throws Exception {
        Run r = onModulePath(codec);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).isEqualTo("named module: true\nOK INBOX.mbox" + suffix(codec)
                + " same=2 verified=true");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd", "xz"})
    void onTheModulePathWithoutTheCodecTheStoreIsRefusedNamingArtifactAndModule(String codec) throws Exception {
        Run r = onModulePath(codec, provider(codec), library(codec));
        assertThat(r.status()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).as(r.toString()).isEqualTo("named module: true\nREFUSED compression codec \"" + codec
                + "\" is not installed: add io.github.imapbackup:imapbackup-codec-" + codec
                + " (Java module io.github.imapbackup.codec." + codec + "), which brings "
                + (codec.equals("zstd") ? "com.github.luben:zstd-jni" : "org.tukaani:xz"));
        assertThat(dir.resolve("backup")).doesNotExist();
    }

    @Test
    void onTheModulePathTheCodecModuleWithoutItsLibraryIsNamedByTheJvm() throws Exception {
        Run r = onModulePath("zstd", library("zstd"));
        assertThat(r.status()).as(r.toString()).isNotZero();
        assertThat(r.out() + r.err()).as(r.toString()).contains("Module com.github.luben.zstd_jni not found, required by"
                + " io.github.imapbackup.codec.zstd");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd", "xz"})
    void onTheClassPathTheCodecIsFoundAsAServiceAndWorks(String codec) throws Exception {
        Run r = onClassPath(codec);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).isEqualTo("named module: false\nOK INBOX.mbox" + suffix(codec)
                + " same=2 verified=true");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd", "xz"})
    void onTheClassPathWithoutTheLibraryTheStoreIsRefusedNamingArtifactAndModule(String codec) throws Exception {
        Run r = onClassPath(codec, library(codec));
        assertThat(r.status()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).as(r.toString()).isEqualTo("named module: false\nREFUSED compression codec \"" + codec
                + "\" needs the library " + (codec.equals("zstd") ? "com.github.luben:zstd-jni (Java module"
                + " com.github.luben.zstd_jni)" : "org.tukaani:xz (Java module org.tukaani.xz)")
                + ", which is not on the class path or module path: add it");
        Run without = onClassPath(codec, provider(codec), library(codec));
        assertThat(without.status()).as(without.toString()).isEqualTo(2);
        assertThat(without.out()).as(without.toString()).contains("add io.github.imapbackup:imapbackup-codec-" + codec);
    }

    @Test
    void commandLineWithoutZstdSaysSoInOneLineWithExitStatus2() throws Exception {
        Path mbox = dir.resolve("in.mbox");
        Files.writeString(mbox, "From a@b Sat Nov 21 23:39:50 2026\nSubject: x\n\nbody\n\n");
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.equals(parts().get(library("zstd").getName()).toString())
                        && !e.equals(parts().get(provider("zstd").getName()).toString()))
                .collect(Collectors.joining(java.io.File.pathSeparator));
        Run r = java(dir, "-cp", classPath, Main.class.getName(), "import", "--dir", dir.resolve("backup").toString(),
                "--compress", "zstd", mbox.toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(2);
        // the error in one line, then the hint every usage error gets; no stack trace
        assertThat(r.err().lines()).as(r.toString()).containsExactly("imapbackup import: --compress: compression codec"
                + " \"zstd\" is not installed: add io.github.imapbackup:imapbackup-codec-zstd (Java module"
                + " io.github.imapbackup.codec.zstd), which brings com.github.luben:zstd-jni",
                "Try 'imapbackup import --help'.");
        assertThat(dir.resolve("backup")).doesNotExist();
    }
}
