package io.github.imapbackup.examples.embedding;

import static io.github.imapbackup.examples.embedding.RepositoryFiles.blocks;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.pom;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.read;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.region;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * README.md shows code that the build compiles: the embedding snippet is the tagged regions of
 * {@link SimpleBackup}, the module declaration is the embedding test project's, and the Maven
 * coordinates are the build's.
 */
class ReadmeTest {

    private static final String EXAMPLE =
            "imapbackup-examples/src/main/java/io/github/imapbackup/examples/embedding/SimpleBackup.java";

    @Test
    void embeddingSnippetIsTheCompiledExample() throws IOException {
        String source = read(EXAMPLE);
        String snippet = region(source, "imports") + "\n" + region(source, "code");
        assertThat(blocks(read("README.md"), "## Embedding", "java")).first().isEqualTo(snippet);
    }

    @Test
    void snippetHasEveryImportTheExampleNeeds() throws IOException {
        String source = read(EXAMPLE);
        String imports = region(source, "imports");
        source.lines().filter(l -> l.startsWith("import "))
                .forEach(l -> assertThat(imports).as("import outside the README region").contains(l));
    }

    @Test
    void moduleDeclarationIsTheEmbeddingTestsOne() throws IOException {
        assertThat(blocks(read("README.md"), "## Embedding", "java"))
                .contains(read("embedding-test/src/main/module/module-info.java"));
    }

    @Test
    void dependencyBlockImportsTheBomOfThisVersionAndNamesOnlyPublishedModules() throws IOException {
        Element parent = pom("pom.xml");
        List<String> xml = blocks(read("README.md"), "## Embedding", "xml");
        assertThat(xml).hasSize(1);
        List<String[]> deps = dependencies(xml.get(0));
        assertThat(deps).anySatisfy(d -> assertThat(d).containsExactly("io.github.imapbackup", "imapbackup-bom",
                text(parent, "version"), "pom", "import"));
        List<String> bom = new ArrayList<>();
        RepositoryFiles.children(RepositoryFiles.at(pom("imapbackup-bom/pom.xml"), "dependencyManagement",
                "dependencies"), "dependency").forEach(d -> bom.add(text(d, "artifactId")));
        for (String[] d : deps) {
            if (d[0].equals("io.github.imapbackup") && !d[1].equals("imapbackup-bom")) {
                assertThat(bom).as("README names a module the BOM does not list").contains(d[1]);
                assertThat(d[2]).as(d[1] + " takes its version from the BOM").isNull();
            }
        }
        assertThat(deps).anySatisfy(d -> assertThat(d).startsWith("io.github.imapbackup", "imapbackup-codec-zstd"));
        assertThat(deps).anySatisfy(d -> assertThat(d).startsWith("io.github.imapbackup", "imapbackup-codec-xz"));
    }

    @Test
    void tryItKeepsExactlyTwoCommands() throws IOException {
        List<String> sh = blocks(read("README.md"), "## Try it", "sh");
        assertThat(sh).hasSize(1);
        assertThat(sh.get(0).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))).hasSize(2);
    }

    /** groupId, artifactId, version, type, scope of each dependency element (null when absent). */
    private static List<String[]> dependencies(String xml) {
        List<String[]> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(xml);
        while (m.find()) {
            found.add(new String[] {tag(m.group(1), "groupId"), tag(m.group(1), "artifactId"),
                tag(m.group(1), "version"), tag(m.group(1), "type"), tag(m.group(1), "scope")});
        }
        return found;
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">\\s*(.*?)\\s*</" + name + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }
}
