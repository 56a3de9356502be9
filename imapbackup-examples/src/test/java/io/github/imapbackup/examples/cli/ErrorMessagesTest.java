package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.codec.Codecs;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wrong, missing and absurd arguments and files give a message that names the thing and says what
 * to do: never a stack trace, an exception's class name or "null". {@code @TMP} in an argument is
 * the test's directory, {@code @PORT} a closed port.
 */
@Timeout(30)
class ErrorMessagesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "not a key store, not PEM\n");
        Files.createDirectories(tmp.resolve("adir"));
        Files.writeString(tmp.resolve("pw"), "x\n");
        Files.writeString(tmp.resolve("empty"), "\n");
        tmp.resolve("pw").toFile().setReadable(false, false);
        tmp.resolve("pw").toFile().setReadable(true, true);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private CliRun run(String line) throws IOException {
        String port = Integer.toString(closedPort());
        String[] args = Arrays.stream(line.split(" ")).map(a -> a.replace("@TMP", tmp.toString())
                .replace("@PORT", port)).toArray(String[]::new);
        return CliRun.run(Map.of("PW", "x"), args);
    }

    private static void assertNoInternals(CliRun r) {
        assertThat(r.err).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain(": null").doesNotContain("imapbackup imapbackup").doesNotContain("Unmatched argument");
    }

    static final String SERVER = "backup --host 127.0.0.1 --port @PORT --security none --user u --password-env PW "
            + "--dir @TMP/b ";

    static final String SERVER_TLS = "backup --host 127.0.0.1 --port @PORT --user u --password-env PW --dir @TMP/b ";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        SERVER + "--timeout 2147483647 | 2 | --timeout,1 and 86400",
        SERVER + "--timeout 0 | 2 | --timeout,1 and 86400",
        SERVER + "--timeout 99999999999 | 2 | --timeout,not a whole number from 1 to 86400",
        SERVER + "--port x | 2 | --port,'x' is not a whole number from 1 to 65535",
        SERVER + "--timeout -5 | 2 | --timeout,1 and 86400",
        "backup --host h --port 0 --user u --password-env PW | 2 | --port,1 and 65535",
        "backup --host h --port 70000 --user u --password-env PW | 2 | --port,1 and 65535",
        "backup -s h:70000 --user u --password-env PW | 2 | port,1 and 65535",
        "folders --host h --user u --password-env PW --connections 0 | 2 | --connections,1 and 100",
        SERVER + "--connections 100000 | 2 | --connections,1 and 100",
        SERVER + "--compress lzma | 2 | lzma,gzip,zstd",
        SERVER + "--compress=lzma | 2 | lzma,gzip,zstd",
        SERVER + "-z lzma | 2 | lzma,gzip,zstd",
        "export --dir @TMP --mbox @TMP/out --compress rar | 2 | rar,gzip,zstd",
        "nosuch | 2 | unknown command 'nosuch',backup",
        "backup --host h --user u --password-file @TMP/adir | 2 | --password-file,is a directory",
        "backup --host h --user u --password-file @TMP/missing | 2 | --password-file,does not exist",
        SERVER_TLS + "--trust-store @TMP/missing.pem | 2 | --trust-store,missing.pem,does not exist",
        SERVER_TLS + "--trust-store @TMP/adir | 2 | --trust-store,is a directory",
        SERVER_TLS + "--trust-store @TMP/notes.txt | 3 | notes.txt,neither PEM certificates nor a PKCS12"
                + " or JKS store",
        "verify --dir @TMP/missing | 2 | @TMP/missing,does not exist",
        "verify --dir @TMP/notes.txt | 2 | notes.txt,not a directory",
        "export --dir @TMP/missing --eml @TMP/e | 2 | @TMP/missing,does not exist",
        "import --dir @TMP/b @TMP/missing.mbox | 2 | missing.mbox,does not exist",
        "backup --dir @TMP/notes.txt --host h --user u --password-env PW | 2 | notes.txt,not a directory",
        "import --dir @TMP/notes.txt/sub @TMP/notes.txt | 2 | --dir,cannot create,notes.txt is a file",
        "export --dir @TMP --eml @TMP/notes.txt | 2 | --eml,notes.txt,is a file",
        "verify --dir @TMP --report @TMP/adir | 2 | --report,adir,is a directory",
        "verify --dir @TMP --report @TMP/missing/r.json | 2 | --report,@TMP/missing,does not exist",
        "backup --host h --user u --password-file @TMP/empty | 2 | --password-file,first line,empty",
    })
    void saysWhatIsWrongAndWhatToDo(String line, int status, String expected) throws IOException {
        CliRun r = run(line);
        assertThat(r.status).as(r.toString()).isEqualTo(status);
        for (String e : expected.split(",")) {
            assertThat(r.err).as(r.toString()).contains(e.replace("@TMP", tmp.toString()));
        }
        assertNoInternals(r);
    }

    @Test
    void aTruncatedCompressedFileSaysSoWithFileAndOffset() throws IOException {
        Path gz = MboxFiles.mbox(tmp.resolve("t.mbox.gz"), Codecs.GZIP, List.of(
                MboxFiles.message("a@example.org", "A", "x".repeat(20000) + "\r\n")));
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));
        CliRun r = run("import --quiet --dir @TMP/b " + gz);
        assertThat(r.status).as(r.toString()).isEqualTo(1);
        assertThat(r.err).contains("t.mbox.gz").contains("truncated");
        assertNoInternals(r);
    }

    @Test
    void noStackTraceForAnyBadCommandLine() throws IOException {
        List<String> lines = new ArrayList<>(List.of("", "--bogus", "backup --connections x", "demo --dir @TMP/demo --messages -1",
                "demo --dir @TMP/demo --seed x", "verify --layout", "export --eml", "import --dialect nope x"));
        for (String line : lines) {
            CliRun r = line.isEmpty() ? CliRun.run() : run(line);
            assertThat(r.status).as(line + ": " + r).isEqualTo(2);
            assertNoInternals(r);
        }
    }

    @Test
    void aPeerThatIsNoImapServerIsShownAsAnEscapedExcerpt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getOutputStream().write("\u0000\u001b[2JSSH-2.0-OpenSSH_9.6\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // the client went away
                }
            });
            peer.setDaemon(true);
            peer.start();
            CliRun r = CliRun.run(Map.of("PW", "x"), "folders", "--host", "127.0.0.1", "--port",
                    Integer.toString(server.getLocalPort()), "--security", "none", "--user", "u", "--password-env", "PW");
            assertThat(r.status).as(r.toString()).isEqualTo(3);
            assertThat(r.err).contains("not an IMAP server").contains("\\x00\\x1b[2JSSH-2.0-OpenSSH_9.6")
                    .doesNotContain("\u0000").doesNotContain("\u001b");
            assertNoInternals(r);
        }
    }
}
