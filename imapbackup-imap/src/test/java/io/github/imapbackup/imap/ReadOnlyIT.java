package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What goes over the wire: only reading commands, one TCP connection per SourceConnection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadOnlyIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @Test
    void aFullReadSendsOnlyReadOnlyCommandsOverOneConnection() throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        for (int i = 0; i < 5; i++) {
            Fixtures.append(greenMail, user, "INBOX", Fixtures.message("<m" + i + "@x>", "a@x",
                    "s" + i, "body " + i + "\n"), null, Instant.now());
        }
        Fixtures.append(greenMail, user, "Archive", Fixtures.message("<a@x>", "a@x", "a", "a\n"),
                null, Instant.now());
        try (RecordingProxy proxy = new RecordingProxy(greenMail.getImap().getPort())) {
            ImapSource source = Fixtures.plain(greenMail).port(proxy.port()).metadataBatch(2)
                    .build();
            try (SourceConnection c = source.connect()) {
                List<FolderInfo> folders = c.folders();
                FolderInfo inbox = folders.stream().filter(f -> f.name().equals("INBOX"))
                        .findFirst().orElseThrow();
                FolderInfo archive = folders.stream().filter(f -> f.name().equals("Archive"))
                        .findFirst().orElseThrow();
                assertThat(c.status(inbox).messages()).isEqualTo(5);
                try (SourceFolder f = c.open(inbox)) {
                    assertThat(f.messages(1)).hasSize(5);
                    // while a folder is open, LIST/STATUS/CAPABILITY use its connection
                    assertThat(c.folders()).hasSize(folders.size());
                    assertThat(c.status(archive).messages()).isEqualTo(1);
                    assertThat(c.hasCapability("IMAP4rev1")).isTrue();
                    assertThat(f.flags(0)).hasSize(5);
                    for (long uid : f.uids()) {
                        try (InputStream in = f.openMessage(uid)) {
                            in.readAllBytes();
                        }
                    }
                }
            }
            assertThat(proxy.connections()).isEqualTo(1);
            List<String> commands = Arrays.stream(proxy.sent().split("\r\n"))
                    .map(line -> line.split(" ", 3))
                    .filter(parts -> parts.length >= 2)
                    .map(parts -> parts[1].toUpperCase(Locale.ROOT)
                            + (parts[1].equalsIgnoreCase("UID") && parts.length > 2
                                    ? " " + parts[2].split(" ")[0].toUpperCase(Locale.ROOT) : ""))
                    .collect(Collectors.toList());
            assertThat(commands).contains("STATUS", "EXAMINE", "UID FETCH", "UID SEARCH", "LIST",
                    "LSUB");
            assertThat(commands).allMatch(c -> List.of("CAPABILITY", "LOGIN", "AUTHENTICATE",
                    "LIST", "LSUB", "STATUS", "EXAMINE", "UID FETCH", "UID SEARCH", "NOOP",
                    "CLOSE", "UNSELECT", "LOGOUT").contains(c), "read-only command");
            String sent = proxy.sent().toUpperCase(Locale.ROOT);
            assertThat(sent).doesNotContain("BODY[").doesNotContain("RFC822 ")
                    .doesNotContain("RFC822)").doesNotContain("SELECT ");
            assertThat(sent).contains("BODY.PEEK[]<0.");
        }
    }
}
