package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class FolderPathsTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static FolderInfo folder(String name, String delimiter) {
        return new FolderInfo(name, delimiter, Set.of(), true);
    }

    @Test
    void designExamplesNestedAndFlat() {
        FolderInfo q3 = folder("Archive/2019/Q3", "/");
        assertThat(FolderPaths.baseName(q3, Layout.NESTED)).isEqualTo("Archive/2019/Q3.mbox");
        assertThat(FolderPaths.baseName(q3, Layout.FLAT)).isEqualTo("Archive.2019.Q3.mbox");
        assertThat(FolderPaths.mboxName(q3, Layout.NESTED, Codecs.GZIP)).isEqualTo("Archive/2019/Q3.mbox.gz");
        assertThat(FolderPaths.mboxName(q3, Layout.NESTED, Codecs.BZIP2)).isEqualTo("Archive/2019/Q3.mbox.bz2");
        assertThat(FolderPaths.mboxName(q3, Layout.FLAT, Codecs.byName("xz"))).isEqualTo("Archive.2019.Q3.mbox.xz");
        assertThat(FolderPaths.mboxName(q3, Layout.FLAT, Codecs.byName("zstd"))).isEqualTo("Archive.2019.Q3.mbox.zst");
        assertThat(FolderPaths.indexName(q3, Layout.NESTED)).isEqualTo("Archive/2019/Q3.mbox.index");
    }

    @Test
    void dotDelimiterSplitsToo() {
        FolderInfo f = folder("INBOX.Sent.2020", ".");
        assertThat(FolderPaths.baseName(f, Layout.NESTED)).isEqualTo("INBOX/Sent/2020.mbox");
        assertThat(FolderPaths.baseName(f, Layout.FLAT)).isEqualTo("INBOX.Sent.2020.mbox");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "a/b => a%2Fb", "a\\b => a%5Cb", "a:b => a%3Ab", "a*b => a%2Ab", "a?b => a%3Fb",
        "a\"b => a%22b", "a<b => a%3Cb", "a>b => a%3Eb", "a|b => a%7Cb", "a%b => a%25b",
        "100% => 100%25", ".hidden => %2Ehidden", "end. => end%2E", "'end ' => end%20",
        "' lead' => ' lead'", "a.b => a.b", ". => %2E", ".. => %2E%2E", "... => %2E.%2E",
        "Entwürfe => Entwürfe", "日本語 => 日本語", "'a b' => 'a b'"})
    void encodesEverySpecialCharacterInNestedLayout(String segment, String expected) {
        assertThat(FolderPaths.encodeSegment(segment, Layout.NESTED)).isEqualTo(expected);
        assertThat(FolderPaths.decodeSegment(expected)).contains(segment);
    }

    @Test
    void flatLayoutEncodesEveryDot() {
        assertThat(FolderPaths.encodeSegment("a.b.c", Layout.FLAT)).isEqualTo("a%2Eb%2Ec");
        assertThat(FolderPaths.baseName(folder("v1.2/x", "/"), Layout.FLAT)).isEqualTo("v1%2E2.x.mbox");
        assertThat(FolderPaths.baseName(folder("v1.2/x", "/"), Layout.NESTED)).isEqualTo("v1.2/x.mbox");
    }

    @Test
    void encodesControlCharactersAndDelete() {
        for (char c = 0; c < 0x20; c++) {
            String expected = String.format("x%%%02Xy", (int) c);
            assertThat(FolderPaths.encodeSegment("x" + c + "y", Layout.NESTED)).isEqualTo(expected);
        }
        assertThat(FolderPaths.encodeSegment("x\u007fy", Layout.NESTED)).isEqualTo("x%7Fy");
        assertThat(FolderPaths.encodeSegment("\0", Layout.NESTED)).isEqualTo("%00");
    }

    @Test
    void emptySegmentsBecomeLonePercent() {
        assertThat(FolderPaths.baseName(folder("/a//b/", "/"), Layout.NESTED)).isEqualTo("%/a/%/b/%.mbox");
        assertThat(FolderPaths.baseName(folder("/a//b/", "/"), Layout.FLAT)).isEqualTo("%.a.%.b.%.mbox");
        assertThat(FolderPaths.baseName(folder("", "/"), Layout.NESTED)).isEqualTo("%.mbox");
        assertThat(FolderPaths.segments("%/a/%/b/%.mbox", Layout.NESTED)).contains(List.of("", "a", "", "b", ""));
    }

    @Test
    void emptyDelimiterMeansNoSplit() {
        assertThat(FolderPaths.baseName(folder("a/b.c", ""), Layout.NESTED)).isEqualTo("a%2Fb.c.mbox");
        assertThat(FolderPaths.baseName(folder("a/b.c", ""), Layout.FLAT)).isEqualTo("a%2Fb%2Ec.mbox");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../..", "../../etc/passwd", "/etc/passwd", "C:\\Windows",
        "a/../../b", "./.", "\\\\server\\share", "a\0b", "~root", "//", "CON", "-rf"})
    void hostileNamesStayInsideTheBackupDirectory(String name, @TempDir Path root) throws Exception {
        for (String delimiter : new String[] {"/", ".", "\\", ""}) {
            for (Layout layout : Layout.values()) {
                String rel = FolderPaths.mboxName(folder(name, delimiter), layout, Codecs.GZIP);
                Path p = FolderPaths.resolve(root, rel);
                assertThat(p.normalize()).startsWithRaw(root.toAbsolutePath().normalize());
                assertThat(p.getNameCount()).isGreaterThan(root.toAbsolutePath().getNameCount());
                for (Path part : root.toAbsolutePath().relativize(p)) {
                    assertThat(part.toString()).doesNotStartWith(".").isNotEmpty().doesNotContain("\\", "\0");
                }
                Files.createDirectories(p.getParent());
                Files.writeString(p, "x");
                assertThat(p.toRealPath()).startsWith(root.toRealPath());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x.mbox", "/abs.mbox", "a/../b.mbox", "a\\b.mbox", "", "a\0b", "a//b", "./a"})
    void resolveRefusesUnsafeNames(String rel, @TempDir Path root) {
        assertThatThrownBy(() -> FolderPaths.resolve(root, rel)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void longSegmentsAreShortenedDeterministicallyAndFitTheFileSystem(Layout layout, @TempDir Path root)
            throws Exception {
        String longA = "ä".repeat(200) + "A";
        String longB = "ä".repeat(200) + "B";
        FolderInfo a = folder("top/" + longA, "/");
        FolderInfo b = folder("top/" + longB, "/");
        String nameA = FolderPaths.mboxName(a, layout, Codecs.byName("zstd"));
        String nameB = FolderPaths.mboxName(b, layout, Codecs.byName("zstd"));
        assertThat(nameA).isEqualTo(FolderPaths.mboxName(a, layout, Codecs.byName("zstd"))).isNotEqualTo(nameB);
        assertThat(nameA).contains("%~");
        for (String rel : List.of(nameA, FolderPaths.indexName(a, layout), nameB)) {
            for (String part : rel.split("/")) {
                assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
            }
            Path p = FolderPaths.resolve(root, rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
        }
        assertThat(FolderPaths.segments(nameA, layout)).isEmpty();
        String percentHeavy = "%".repeat(100);
        String enc = FolderPaths.baseName(folder(percentHeavy, ""), layout);
        assertThat(enc.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(244 + 5);
        assertThat(enc).matches("(%25)+%~[0-9a-f]{16}\\.mbox");
    }

    @Test
    void nameAtTheLimitIsKept() {
        String exact = "x".repeat(FolderPaths.MAX_COMPONENT_BYTES);
        assertThat(FolderPaths.baseName(folder(exact, "/"), Layout.NESTED)).isEqualTo(exact + ".mbox");
        assertThat(FolderPaths.baseName(folder(exact + "y", "/"), Layout.NESTED)).contains("%~");
    }

    @Test
    void inverseGivesTheSegmentsBackForRandomNames() {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        String alphabet = "ab./\\:*?\"<>|% \u0000\u001f\u007fäß日😀-_~";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(12);
            for (int k = 0; k < len; k++) {
                int at = rnd.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                if (Character.isHighSurrogate(c)) {
                    sb.append(c).append(alphabet.charAt(at + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    sb.append(c);
                }
            }
            String name = sb.toString();
            for (Layout layout : Layout.values()) {
                for (String delimiter : new String[] {"/", ".", ""}) {
                    FolderInfo f = folder(name, delimiter);
                    String rel = FolderPaths.mboxName(f, layout, Codecs.GZIP);
                    Optional<List<String>> back = FolderPaths.segments(rel, layout);
                    assertThat(back).as("seed %d name %s rel %s", seed, name, rel)
                            .contains(FolderPaths.split(name, delimiter));
                    assertThat(FolderPaths.segments(FolderPaths.indexName(f, layout), layout))
                            .as("seed %d", seed).isEqualTo(back);
                }
            }
        }
    }

    @Test
    void loneSurrogateIsEncodedNotReplaced() {
        String enc = FolderPaths.encodeSegment("a\ud800b", Layout.NESTED);
        assertThat(enc).isEqualTo("a%ED%A0%80b");
        assertThat(FolderPaths.encodeSegment("a\ud800b", Layout.NESTED))
                .isNotEqualTo(FolderPaths.encodeSegment("a\udc00b", Layout.NESTED));
    }

    @Test
    void segmentsRejectsForeignNames() {
        assertThat(FolderPaths.segments("notes.txt", Layout.NESTED)).isEmpty();
        assertThat(FolderPaths.segments("a%ZZ.mbox", Layout.NESTED)).isEmpty();
        assertThat(FolderPaths.segments("a/b.mbox", Layout.FLAT)).isEmpty();
        assertThat(FolderPaths.segments("Q3.mbox.zst", Layout.NESTED)).contains(List.of("Q3"));
    }
}
