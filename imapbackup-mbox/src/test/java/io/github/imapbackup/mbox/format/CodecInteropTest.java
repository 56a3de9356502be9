package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.MissingCodecProbe;
import io.github.imapbackup.mbox.StoreFixtures;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Multi-member compressed mbox files: our reader, the system tools, damage, missing libraries. */
@Timeout(60)
class CodecInteropTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    /** Writes two appends (two members/streams/frames); returns the uncompressed bytes. */
    private byte[] writeTwoAppends(Path file, CompressionCodec codec, long seed) throws IOException {
        MessageGenerator gen = new MessageGenerator(seed);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        long position = 0;
        for (int append = 0; append < 2; append++) {
            OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            try (MboxWriter w = new MboxWriter(new TeeOutputStream(codec.compress(raw), plain), position)) {
                for (int i = 0; i < 20; i++) {
                    byte[] m = gen.message();
                    w.write(gen.sender(), Instant.ofEpochSecond(1_700_000_000L + i), new ByteArrayInputStream(m));
                }
                position = w.position();
            }
        }
        return plain.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void readerReadsEveryMemberOfAnAppendedFile(String name) throws IOException {
        CompressionCodec codec = Codecs.byName(name);
        long seed = seeds.pick();
        Path file = dir.resolve("a.mbox" + codec.suffix());
        byte[] plain = writeTwoAppends(file, codec, seed);
        assertThat(Codecs.detect(file)).isSameAs(codec);
        Path plainFile = dir.resolve("plain.mbox");
        Files.write(plainFile, plain);
        List<String> fromCompressed = shas(file);
        assertThat(fromCompressed).as("seed %d", seed).hasSize(40).isEqualTo(shas(plainFile));
    }

    private static List<String> shas(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (MboxReader r = MboxReader.open(file, Dialect.MBOXRD)) {
            for (byte[] m : Expected.readAll(r, 8192)) {
                out.add(Expected.sha256(m));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void systemToolReadsAnAppendedFileAsOneMbox(String name) throws Exception {
        Path tool = Path.of("/usr/bin", name);
        assumeTrue(Files.isExecutable(tool), tool + " is not installed");
        CompressionCodec codec = Codecs.byName(name);
        long seed = seeds.pick();
        Path file = dir.resolve("t.mbox" + codec.suffix());
        byte[] plain = writeTwoAppends(file, codec, seed);
        Path out = dir.resolve("tool-output");
        Process p = new ProcessBuilder(tool.toString(), "-dc", file.toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exit status, seed %d", name, seed).isZero();
        assertThat(Expected.sha256(Files.readAllBytes(out))).as("seed %d", seed).isEqualTo(Expected.sha256(plain));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void truncatedCompressedFileIsMalformed(String name) throws IOException {
        CompressionCodec codec = Codecs.byName(name);
        Path file = dir.resolve("cut.mbox" + codec.suffix());
        writeTwoAppends(file, codec, 42);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 7));
        assertThatThrownBy(() -> {
            try (MboxReader r = MboxReader.open(file, Dialect.MBOXRD)) {
                Expected.readAll(r, 8192);
            }
        }).isInstanceOf(MalformedMboxException.class).hasMessageContaining(file.toString());
        assertThatThrownBy(() -> {
            try (MboxReader r = MboxReader.open(file)) {
                Expected.readAll(r, 8192);
            }
        }).as("with dialect detection").isInstanceOf(MalformedMboxException.class);
    }

    @Test
    void appleMailBundleDirectoryIsReadThroughItsMboxFile() throws IOException {
        Path bundle = dir.resolve("Inbox.mbox");
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("mbox"), "From a@b Sat Nov 21 23:39:50 2026\nS: x\n\n");
        try (MboxReader r = MboxReader.open(bundle)) {
            assertThat(r.file()).isEqualTo(bundle.resolve("mbox"));
            assertThat(Expected.readAll(r, 100)).hasSize(1);
        }
    }

    /** The jars and class directories this test runs with, without those of the given classes. */
    private static URLClassLoader loaderWithout(Set<String> left) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Class<?> c : List.of(Codecs.class, CompressionCodec.class, MissingCodecProbe.class,
                org.apache.commons.compress.compressors.CompressorInputStream.class,
                org.apache.commons.io.IOUtils.class, org.slf4j.LoggerFactory.class,
                com.github.luben.zstd.Zstd.class, org.tukaani.xz.XZ.class,
                io.github.imapbackup.codec.zstd.ZstdCodec.class, io.github.imapbackup.codec.xz.XzCodec.class)) {
            if (!left.contains(c.getName())) {
                urls.add(c.getProtectionDomain().getCodeSource().getLocation());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** Writes folder INBOX of a store in {@code root} with the codec; returns the mbox file. */
    private static Path folderWith(Path root, String codec) throws IOException {
        MboxStore store = MboxStore.builder(root).codec(codec).build();
        try (io.github.imapbackup.spi.FolderArchive a = store.open(StoreFixtures.INBOX)) {
            byte[] m = StoreFixtures.message("INBOX", 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            a.append(StoreFixtures.newMessage(7, 1, m), new ByteArrayInputStream(m));
            a.commit();
        }
        return root.resolve("INBOX.mbox" + Codecs.byName(codec).suffix());
    }

    @SuppressWarnings("unchecked")
    private static List<String> probe(Set<String> left, String codec, Path root) throws Exception {
        try (URLClassLoader loader = loaderWithout(left)) {
            return (List<String>) loader.loadClass(MissingCodecProbe.class.getName())
                    .getMethod("probe", String.class, String.class).invoke(null, codec, root.toString());
        }
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"zstd", "xz"})
    void missingOptionalLibraryIsNamedWithArtifactAndModuleWhenTheStoreIsBuilt(String name) throws Exception {
        String artifact = name.equals("zstd") ? "com.github.luben:zstd-jni" : "org.tukaani:xz";
        String module = name.equals("zstd") ? "com.github.luben.zstd_jni" : "org.tukaani.xz";
        String marker = name.equals("zstd") ? "com.github.luben.zstd.Zstd" : "org.tukaani.xz.XZ";
        Path mbox = folderWith(dir, name);
        List<String> said = probe(Set.of(marker), name, dir);
        String unavailable = "io.github.imapbackup.CodecUnavailableException: compression codec \"" + name
                + "\" needs the library " + artifact + " (Java module " + module + ")";
        assertThat(said.get(0)).as("look-up, compress").startsWith("ok: available=false; compress: " + unavailable);
        assertThat(said.get(1)).as("build").startsWith("java.lang.IllegalArgumentException: compression codec \""
                + name + "\" needs the library " + artifact + " (Java module " + module + ")");
        assertThat(said.get(2)).as("open").startsWith(unavailable);
        assertThat(said.get(3)).as("open read-only").startsWith(unavailable);
        assertThat(said.get(4)).as("verify").contains(unavailable.substring(unavailable.indexOf(' ') + 1))
                .contains(dir.resolve("INBOX.mbox.index").toString()).doesNotContain("without an index");
        assertThat(Codecs.byName(name).isAvailable()).as("available here").isTrue();
    }

    @ParameterizedTest(name = "without imapbackup-codec-{0}")
    @ValueSource(strings = {"zstd", "xz"})
    void missingCodecArtifactIsNamedWithTheFileWhenAFolderUsesIt(String name) throws Exception {
        String codecModule = "io.github.imapbackup.codec." + name;
        String advice = "add io.github.imapbackup:imapbackup-codec-" + name + " (Java module " + codecModule + ")";
        Path mbox = folderWith(dir, name);
        String provider = name.equals("zstd") ? io.github.imapbackup.codec.zstd.ZstdCodec.class.getName()
                : io.github.imapbackup.codec.xz.XzCodec.class.getName();
        List<String> said = probe(Set.of(provider), name, dir);
        assertThat(said.get(0)).as("look-up").startsWith("java.lang.IllegalArgumentException: compression codec \""
                + name + "\" is not installed: " + advice);
        assertThat(said.get(1)).as("build").startsWith("java.lang.IllegalArgumentException: compression codec \""
                + name + "\" is not installed: " + advice);
        Path index = dir.resolve("INBOX.mbox.index");
        String needs = "io.github.imapbackup.CodecUnavailableException: " + index + " needs the compression codec \""
                + name + "\", which is not installed: " + advice;
        assertThat(said.get(2)).as("open").startsWith(needs);
        assertThat(said.get(3)).as("open read-only").startsWith(needs);
        assertThat(said.get(4)).as("verify").contains(index + " needs the compression codec");
        // without its index, the folder's file still says which codec it needs: never a second mbox beside it
        Files.delete(index);
        said = probe(Set.of(provider), name, dir);
        assertThat(said.get(2)).as("open without index").startsWith("io.github.imapbackup.CodecUnavailableException: "
                + mbox + " needs the compression codec \"" + Codecs.byName(name).suffix().substring(1) + "\"");
        assertThat(said.get(2)).contains(advice);
        assertThat(dir.resolve("INBOX.mbox")).doesNotExist();
    }

    @Test
    void serviceThatCannotBeLoadedOrClashesIsLeftOutAndTheOthersAreInstalled() throws Exception {
        Path services = dir.resolve("services");
        Path file = services.resolve("META-INF/services/" + CompressionCodec.class.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "com.example.NoSuchCodec\n" + MissingCodecProbe.ClashingCodec.class.getName() + "\n"
                + MissingCodecProbe.OwnCodec.class.getName() + "\n");
        try (URLClassLoader base = loaderWithout(Set.of());
                URLClassLoader loader = new URLClassLoader(java.util.stream.Stream.concat(
                        java.util.Arrays.stream(base.getURLs()), java.util.stream.Stream.of(services.toUri().toURL()))
                        .toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(loader.loadClass(MissingCodecProbe.class.getName()).getMethod("installed").invoke(null))
                    .isEqualTo(List.of("none", "gzip", "bzip2", "x9", "xz", "zstd"));
        }
    }

    /** Writes to two streams. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void close() throws IOException {
            a.close();
        }
    }
}
