package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packages of this module and what they export, checked on the compiled classes: the API is
 * the store, the reader, import/export and the codecs; the writer and the helpers the packages
 * share stay in the unexported {@code internal} package; the packages depend on each other in one
 * direction only; the classes split by job stay small (see {@code docs/ARCHITECTURE.md}).
 */
@Timeout(120)
class ModuleStructureTest {

    private static final String BASE = "io.github.imapbackup.mbox";
    /** The most lines of a class that does one job (docs/ARCHITECTURE.md). */
    private static final long MAX_LINES = 300;

    private static Path classes() throws URISyntaxException {
        return Path.of(MboxStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor() throws Exception {
        try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void exportsTheApiPackagesOnly() throws Exception {
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : descriptor().exports()) {
            assertThat(e.isQualified()).as(e.source()).isFalse();
            exported.add(e.source());
        }
        assertThat(exported).containsExactly(BASE, BASE + ".codec", BASE + ".format", BASE + ".transfer");
        assertThat(classes().resolve("io/github/imapbackup/mbox/internal/MboxWriter.class")).isRegularFile();
    }

    @Test
    void thePublicTypesOfTheExportedPackagesAreTheApi() throws Exception {
        Set<String> publicTypes = new TreeSet<>();
        for (ModuleDescriptor.Exports e : descriptor().exports()) {
            Path dir = classes().resolve(e.source().replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String file = f.getFileName().toString();
                    if (!file.endsWith(".class") || file.contains("$") || file.equals("package-info.class")) {
                        continue;
                    }
                    String name = e.source() + "." + file.substring(0, file.length() - ".class".length());
                    Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                    if (Modifier.isPublic(c.getModifiers())) {
                        publicTypes.add(name.substring(BASE.length() + 1));
                    }
                }
            }
        }
        assertThat(publicTypes).containsExactly(
                "ArchiveSelection", "BackupArchive", "BackupLock", "DirectoryLockedException", "Layout", "LayoutConflictException",
                "MboxStore", "StoredMessage", "VerifyReport",
                "codec.CodecRegistry", "codec.Codecs", "codec.DecompressionBombException",
                "format.Dialect", "format.MboxEntry", "format.MboxReader", "format.MboxWarning",
                "transfer.MboxExporter", "transfer.MboxImporter");
    }

    @Test
    void thePackagesDependOnEachOtherInOneDirection() throws Exception {
        Set<String> edges = packageDependencies();
        assertThat(edges).as("the store does not use import/export").doesNotContain(" -> .transfer");
        for (String lower : List.of(".format", ".internal", ".codec")) {
            assertThat(edges).as(lower + " knows neither the store nor import/export")
                    .doesNotContain(lower + " -> ", lower + " -> .transfer");
        }
        assertThat(edges).as("the codecs use no other package of the module")
                .allMatch(e -> !e.startsWith(".codec ->"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MboxFolderArchive", "ArchiveReader", "ArchiveWriter", "MboxAppender"})
    void theClassesSplitByJobStaySmall(String name) throws IOException {
        Path source = Path.of("src/main/java/io/github/imapbackup/mbox", name + ".java");
        try (Stream<String> lines = Files.lines(source)) {
            assertThat(lines.count()).as(source.toString()).isLessThanOrEqualTo(MAX_LINES);
        }
    }

    /** The edges between this module's packages ({@code ".format -> "} is format → the store package), by jdeps. */
    private static Set<String> packageDependencies() throws Exception {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new IllegalStateException("run the tests with a JDK: jdeps is missing"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String dir = classes().toString();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err),
                "-verbose:package", "-filter:none", "-cp", dir, classes().resolve("io").toString());
        assertThat(rc).as(err.toString()).isZero();
        Pattern edge = Pattern.compile("^\\s+" + Pattern.quote(BASE) + "(\\S*)\\s+->\\s+" + Pattern.quote(BASE)
                + "(\\S*)\\s", Pattern.MULTILINE);
        Set<String> edges = new TreeSet<>();
        Matcher m = edge.matcher(out.toString());
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                edges.add(m.group(1) + " -> " + m.group(2));
            }
        }
        assertThat(edges).as("jdeps found the module's packages").isNotEmpty();
        return edges;
    }
}
