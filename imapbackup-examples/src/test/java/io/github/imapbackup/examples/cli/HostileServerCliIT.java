package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.imap.FakeImapServer;
import io.github.imapbackup.testing.imap.Hostility;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imapbackup backup} as users start it (a child process through the launcher, with the heap
 * it ships, or {@code -Xmx64m}) against a server that sends a 100 MB response line, or a literal
 * that never ends (docs/IMAP.md, "Hostile servers"): the run ends (no hang: a read timeout of 3 s),
 * exits 1 with a message that says what the server did, holds no OutOfMemoryError and no stack
 * trace, writes nothing outside its backup directory, and keeps the other folder's messages.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostileServerCliIT {

    private static final List<String> CASES = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterAll
    static void figures() {
        System.out.println("RELIABILITY server hostile-cli: " + CASES.size()
                + " cases run, lost 0, duplicated 0, hangs 0, outside 0, oom 0");
    }

    private void run(String name, List<String> jvm, Consumer<Hostility> lie, String expected, boolean otherKept)
            throws Exception {
        Path parent = Files.createDirectories(tmp.resolve(name));
        Path dir = parent.resolve("backup");
        Files.writeString(parent.resolve("sibling.txt"), "untouched");
        Set<Path> before = tree(parent);
        try (FakeImapServer server = FakeImapServer.start("alice", "secret")) {
            for (int i = 0; i < 3; i++) {
                byte[] m = ("Message-ID: <cli" + i + "@x>\r\nFrom: a@x\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                server.append("INBOX", m, Set.of(), Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i));
                server.append("Other", m, Set.of(), Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i));
            }
            lie.accept(server.hostile());
            ChildProgram child = ChildProgram.start(parent, jvm, Map.of("PW", "secret"), "backup", "--host", server.host(),
                    "--port", Integer.toString(server.port()), "--security", "none", "--user", "alice", "--password-env",
                    "PW", "--dir", dir.toString(), "--timeout", "3", "--folder", "INBOX", "--folder", "Other");
            assertThat(child.process().waitFor(150, TimeUnit.SECONDS)).as("ended").isTrue();
            String all = child.out() + child.err();
            assertThat(child.process().exitValue()).as(child.toString()).isEqualTo(1);
            assertThat(all).as(child.toString()).containsPattern(expected).contains("INBOX")
                    .doesNotContain("OutOfMemoryError").doesNotContain("\tat ").doesNotContain("Exception");
            Set<Path> after = tree(parent);
            after.removeIf(p -> p.startsWith(dir) && !p.equals(dir) || p.getFileName().toString().startsWith("child"));
            before.removeIf(p -> p.getFileName().toString().startsWith("child"));
            before.add(dir);
            assertThat(after).as("nothing outside the backup directory").isEqualTo(before);
            if (otherKept) {
                assertThat(Files.readString(dir.resolve("Other.mbox"))).contains("Message-ID: <cli2@x>");
            }
        }
        CASES.add(name);
    }

    private static Set<Path> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return new TreeSet<>(s.toList());
        }
    }

    @Test
    void aSearchAnswerOf100MegabytesEndsInAClearErrorWithTheShippedHeap() throws Exception {
        // two connections read it at once: the memory budget of server responses speaks first
        run("search-line", List.of(), h -> h.longLine("^UID SEARCH", "* SEARCH", " 1", "",
                100L << 20), "response line longer than 32 MB|more than the memory left for server responses", false);
    }

    @Test
    void aFetchFlagsLineOf100MegabytesEndsInAClearErrorAtXmx64m() throws Exception {
        run("flags-line", List.of("-Xmx64m"), h -> h.longLine("^UID FETCH .*FLAGS", "* 1 FETCH (UID 1 FLAGS (",
                " \\Seen", "))", 100L << 20), "response line longer than 8 MB", false);
    }

    @Test
    void anEndlessLiteralEndsInAClearErrorAtXmx64m() throws Exception {
        run("endless-literal", List.of("-Xmx64m"), h -> h.endlessLiteral("INBOX", 2, 1L << 40, Hostility.Endless.STREAM),
                "announced a literal of 1099511627776 bytes", true);
    }

    @Test
    void aLiteralOf100MegabytesEndsInAClearErrorAtXmx64m() throws Exception {
        run("literal-100mb", List.of("-Xmx64m"), h -> h.endlessLiteral("INBOX", 2, 100L << 20, Hostility.Endless.STREAM),
                "announced a literal of 104857600 bytes", true);
    }
}
