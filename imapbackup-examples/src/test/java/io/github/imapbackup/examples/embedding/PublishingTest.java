package io.github.imapbackup.examples.embedding;

import static io.github.imapbackup.examples.embedding.RepositoryFiles.at;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.children;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.pom;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.read;
import static io.github.imapbackup.examples.embedding.RepositoryFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What Maven Central and users of the published artifacts rely on: the BOM lists every published
 * module and agrees with the parent, every module has a name and a description, the license is
 * there, and the embedding test builds against this version.
 */
class PublishingTest {

    private static final String BOM = "imapbackup-bom";

    @Test
    void bomListsEveryPublishedModuleAndNothingElse() throws IOException {
        List<String> published = new ArrayList<>();
        for (Element module : children(at(pom("pom.xml"), "modules"), "module")) {
            Element p = pom(module.getTextContent().trim() + "/pom.xml");
            if (!"true".equals(text(p, "properties", "maven.deploy.skip")) && !BOM.equals(text(p, "artifactId"))) {
                published.add(text(p, "artifactId"));
            }
        }
        List<String> listed = new ArrayList<>();
        for (Element d : children(at(pom(BOM + "/pom.xml"), "dependencyManagement", "dependencies"), "dependency")) {
            assertThat(text(d, "groupId")).isEqualTo("io.github.imapbackup");
            assertThat(text(d, "version")).isEqualTo("${project.version}");
            listed.add(text(d, "artifactId"));
        }
        assertThat(listed)
                .as("the BOM lists the modules that are deployed (a module that is not published sets"
                        + " maven.deploy.skip)")
                .containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void bomHasTheParentsCoordinatesAndMetadata() throws IOException {
        Element parent = pom("pom.xml");
        Element bom = pom(BOM + "/pom.xml");
        assertThat(at(bom, "parent")).as("a BOM with a parent would import the parent's pins").isNull();
        for (String field : List.of("groupId", "version", "url", "inceptionYear")) {
            assertThat(text(bom, field)).as(field).isEqualTo(text(parent, field)).isNotBlank();
        }
        for (String block : List.of("licenses", "developers", "scm", "issueManagement")) {
            assertThat(at(bom, block)).as(block).isNotNull();
            assertThat(normalised(at(bom, block).getTextContent())).as(block)
                    .isEqualTo(normalised(at(parent, block).getTextContent()));
        }
        for (String property : List.of("imapbackup.staging", "gpg.skip")) {
            assertThat(text(bom, "properties", property)).as(property)
                    .isEqualTo(text(parent, "properties", property));
        }
    }

    @Test
    void everyModuleHasANameAndADescription() throws IOException {
        List<String> poms = new ArrayList<>(List.of("pom.xml"));
        children(at(pom("pom.xml"), "modules"), "module").forEach(m -> poms.add(m.getTextContent().trim() + "/pom.xml"));
        for (String p : poms) {
            assertThat(text(pom(p), "name")).as(p).isNotBlank();
            assertThat(text(pom(p), "description")).as(p).isNotBlank();
        }
    }

    @Test
    void licenseIsApache2AndSaysSoInThePom() throws IOException {
        assertThat(read("LICENSE")).startsWith("                                 Apache License\n"
                + "                           Version 2.0, January 2004\n").contains("END OF TERMS AND CONDITIONS");
        assertThat(text(pom("pom.xml"), "licenses", "license", "name")).isEqualTo("Apache-2.0");
    }

    @Test
    void embeddingTestBuildsAgainstThisVersion() throws IOException {
        assertThat(text(pom("embedding-test/pom.xml"), "properties", "imapbackup.version"))
                .isEqualTo(text(pom("pom.xml"), "version"));
    }

    private static String normalised(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
