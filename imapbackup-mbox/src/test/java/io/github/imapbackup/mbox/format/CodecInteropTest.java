package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"zstd", "xz"})
    void missingOptionalLibraryGivesCodecUnavailableExceptionNamingIt(String name) throws Exception {
        String dependency = name.equals("zstd") ? "com.github.luben:zstd-jni" : "org.tukaani:xz";
        String marker = name.equals("zstd") ? "com.github.luben.zstd.Zstd" : "org.tukaani.xz.XZ";
        Class<?> missing = Class.forName(marker);
        List<URL> urls = new ArrayList<>();
        for (Class<?> c : List.of(Codecs.class, CompressionCodec.class,
                org.apache.commons.compress.compressors.CompressorInputStream.class,
                org.apache.commons.io.IOUtils.class, org.slf4j.LoggerFactory.class,
                com.github.luben.zstd.Zstd.class, org.tukaani.xz.XZ.class)) {
            if (c != missing) {
                urls.add(c.getProtectionDomain().getCodeSource().getLocation());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> codecs = loader.loadClass(Codecs.class.getName());
            Object codec = codecs.getMethod("byName", String.class).invoke(null, name);
            Class<?> api = loader.loadClass(CompressionCodec.class.getName());
            assertThat(api.getMethod("isAvailable").invoke(codec)).isEqualTo(false);
            assertThatThrownBy(() -> {
                try {
                    api.getMethod("compress", OutputStream.class).invoke(codec, new ByteArrayOutputStream());
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }).satisfies(e -> assertThat(e.getClass().getName()).isEqualTo("io.github.imapbackup.CodecUnavailableException"))
                    .hasMessageContaining(dependency);
        }
        assertThat(Codecs.byName(name).isAvailable()).as("available here").isTrue();
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
