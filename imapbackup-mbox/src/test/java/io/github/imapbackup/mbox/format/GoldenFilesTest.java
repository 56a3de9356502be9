package io.github.imapbackup.mbox.format;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.MalformedMboxException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The cases under src/test/resources/mbox, made by make-golden.py there. */
@Timeout(10)
class GoldenFilesTest {

    static Path root() throws URISyntaxException {
        return Path.of(GoldenFilesTest.class.getResource("/mbox/make-golden.py").toURI()).getParent();
    }

    static Stream<String> cases() throws Exception {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("malformed-")).sorted().toList().stream();
        }
    }

    static Stream<String> malformedCases() throws Exception {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("malformed-")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readerGivesTheExpectedMessages(String name) throws Exception {
        Path dir = root().resolve(name);
        Dialect dialect = Dialect.valueOf(Files.readString(dir.resolve("expected/dialect")).strip());
        List<String> separators = Files.readAllLines(dir.resolve("expected/separators"), ISO_8859_1);
        Path datesFile = dir.resolve("expected/dates");
        List<String> dates = Files.exists(datesFile) ? Files.readAllLines(datesFile) : null;
        List<Long> warnings = Files.readAllLines(dir.resolve("expected/warnings")).stream()
                .map(Long::parseLong).toList();
        List<String> got = new ArrayList<>();
        List<String> gotSeparators = new ArrayList<>();
        List<String> gotDates = new ArrayList<>();
        try (MboxReader r = MboxReader.open(dir.resolve("input.mbox"))) {
            assertThat(r.dialect()).as("detected dialect").isEqualTo(dialect);
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                got.add(Expected.show(e.content().readAllBytes()));
                gotSeparators.add(e.separator());
                gotDates.add(e.date().map(Object::toString).orElse("-"));
                if (dates == null) {
                    assertThat(e.date()).as("date of %s", e).isPresent();
                }
            }
            assertThat(r.warnings()).as("warnings").extracting(MboxWarning::offset)
                    .containsExactlyElementsOf(warnings);
        }
        if (dates != null) {
            assertThat(gotDates).as("dates").containsExactlyElementsOf(dates);
        }
        List<String> want = new ArrayList<>();
        for (int i = 1; Files.exists(dir.resolve("expected/" + i + ".eml")); i++) {
            want.add(Expected.show(Files.readAllBytes(dir.resolve("expected/" + i + ".eml"))));
        }
        assertThat(got).containsExactlyElementsOf(want);
        assertThat(gotSeparators).containsExactlyElementsOf(separators);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCases")
    void malformedInputIsReportedWithItsOffset(String name) throws Exception {
        Path dir = root().resolve(name);
        long offset = Long.parseLong(Files.readString(dir.resolve("expected/error")).strip());
        Path dialectFile = dir.resolve("expected/dialect");
        Path input = dir.resolve("input.mbox");
        assertThatThrownBy(() -> {
            try (MboxReader r = Files.exists(dialectFile)
                    ? MboxReader.open(input, Dialect.valueOf(Files.readString(dialectFile).strip()))
                    : MboxReader.open(input)) {
                Expected.readAll(r, 4096);
            }
        }).isInstanceOfSatisfying(MalformedMboxException.class, e -> {
            assertThat(e.offset()).hasValue(offset);
            assertThat(e.file()).contains(input);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1 << 20, (1 << 20) + 1, 3 << 20})
    void lineLongerThanTheBufferPassesThrough(int length) throws IOException {
        byte[] line = new byte[length];
        java.util.Arrays.fill(line, (byte) 'x');
        line[0] = '>';
        line[length - 1] = '\n';
        String head = "From a@b Sat Nov 21 23:39:50 2026\nS: big\n\n";
        String tail = "\nFrom c@d Sat Nov 21 23:39:50 2026\n\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head.getBytes(ISO_8859_1));
        out.writeBytes(line);
        out.writeBytes(">>>".getBytes(ISO_8859_1));
        out.writeBytes(line); // ">>>>xxx..." is not a From line: kept as it is
        out.writeBytes(tail.getBytes(ISO_8859_1));
        try (MboxReader r = new MboxReader(new java.io.ByteArrayInputStream(out.toByteArray()), Path.of("big"))) {
            List<byte[]> got = Expected.readAll(r, 8191);
            assertThat(got).hasSize(2);
            assertThat(got.get(0)).hasSize(8 + 2 * length + 3);
            assertThat(Expected.sha256(got.get(0))).isEqualTo(Expected.sha256(
                    java.util.Arrays.copyOfRange(out.toByteArray(), head.length() - 8, head.length() + 2 * length + 3)));
        }
    }
}
