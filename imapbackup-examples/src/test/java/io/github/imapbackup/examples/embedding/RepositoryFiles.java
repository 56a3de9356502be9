package io.github.imapbackup.examples.embedding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The repository's own files (README.md, the POMs) as the tests that keep them honest read them. */
final class RepositoryFiles {

    private RepositoryFiles() { }

    /** {@return the repository's root: the nearest folder up from here with pom.xml and README.md} */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    static String read(String relative) throws IOException {
        return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    }

    /**
     * Parses a POM.
     *
     * @param relative its path from the root
     * @return its project element
     */
    static Element pom(String relative) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(root().resolve(relative).toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(relative + ": " + e.getMessage(), e);
        }
    }

    /** {@return the child elements of an element with this name, in order} */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** {@return the element at a path of child names, or null} */
    static Element at(Element parent, String... path) {
        Element e = parent;
        for (String name : path) {
            List<Element> c = e == null ? List.of() : children(e, name);
            e = c.isEmpty() ? null : c.get(0);
        }
        return e;
    }

    /** {@return the trimmed text at a path of child names, or null} */
    static String text(Element parent, String... path) {
        Element e = at(parent, path);
        return e == null ? null : e.getTextContent().trim();
    }

    /**
     * Returns the lines between {@code // tag::NAME[]} and {@code // end::NAME[]} of a source file,
     * without the marker lines.
     *
     * @param source the file's text
     * @param name the region's name
     * @return the region, each line ending with a newline
     */
    static String region(String source, String name) {
        String start = "// tag::" + name + "[]";
        String end = "// end::" + name + "[]";
        int from = source.indexOf(start);
        int to = source.indexOf(end);
        if (from < 0 || to < from) {
            throw new AssertionError("no region " + name + " (" + start + " ... " + end + ")");
        }
        int first = source.indexOf('\n', from) + 1;
        int last = source.lastIndexOf('\n', to) + 1;
        return source.substring(first, last);
    }

    /**
     * Returns the fenced code blocks of a Markdown section.
     *
     * @param markdown the text
     * @param heading the section's heading line, e.g. {@code ## Embedding}
     * @param language the fence's language, e.g. {@code java}
     * @return the blocks' contents, each line ending with a newline
     */
    static List<String> blocks(String markdown, String heading, String language) {
        int at = markdown.indexOf("\n" + heading + "\n");
        if (at < 0) {
            throw new AssertionError("no section " + heading);
        }
        int next = markdown.indexOf("\n## ", at + heading.length() + 1);
        String section = markdown.substring(at, next < 0 ? markdown.length() : next + 1);
        List<String> found = new ArrayList<>();
        String fence = "\n```" + language + "\n";
        for (int i = section.indexOf(fence); i >= 0; i = section.indexOf(fence, i + 1)) {
            int body = i + fence.length();
            found.add(section.substring(body, section.indexOf("\n```\n", body - 1) + 1));
        }
        return found;
    }
}
