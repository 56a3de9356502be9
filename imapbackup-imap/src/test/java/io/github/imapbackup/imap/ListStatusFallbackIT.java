package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servers without a usable LIST-STATUS keep the LIST and one STATUS per folder, with the same
 * statuses: GreenMail (no LIST-STATUS), a server that announces it but lists no status, and one
 * that announces it and answers the extended LIST with BAD.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListStatusFallbackIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    /** {@return every listed folder's status, asked after the LIST, on one connection} */
    private static Map<String, FolderStatus> listThenStatus(SourceConnection c) throws Exception {
        Map<String, FolderStatus> out = new LinkedHashMap<>();
        for (FolderInfo f : c.folders()) {
            out.put(f.name(), c.status(f));
        }
        return out;
    }

    @Test
    void greenMailWithoutListStatusGetsOneStatusPerFolder() throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        for (int i = 0; i < 3; i++) {
            Fixtures.append(greenMail, user, i == 0 ? "INBOX" : "Archive", Fixtures.message("<m" + i + "@x>", "a@x",
                    "s" + i, "body\n"), null, Instant.now());
        }
        try (RecordingProxy proxy = new RecordingProxy(greenMail.getImap().getPort())) {
            Map<String, FolderStatus> listed;
            try (SourceConnection c = Fixtures.plain(greenMail).port(proxy.port()).build().connect()) {
                assertThat(c.hasCapability("LIST-STATUS")).isFalse();
                listed = listThenStatus(c);
            }
            assertThat(listed.get("INBOX").messages()).isEqualTo(1);
            assertThat(listed.get("Archive").messages()).isEqualTo(2);
            String sent = proxy.sent();
            assertThat(sent).doesNotContain("RETURN").contains("LIST \"\" \"*\"");
            assertThat(sent.split("STATUS ", -1)).hasSize(listed.size() + 1);
        }
    }

    @Test
    void aServerThatListsNoStatusOrRefusesTheExtendedListGetsStatusPerFolder() throws Exception {
        for (boolean refuse : new boolean[] {false, true}) {
            List<String> caps = new ArrayList<>(FakeImapServer.DEFAULT_CAPABILITIES);
            caps.add("LIST-STATUS");
            try (FakeImapServer server = FakeImapServer.start(Interop.USER, Interop.PASSWORD)) {
                server.capabilities(caps.toArray(String[]::new));
                if (refuse) {
                    server.throttle("^LIST .*RETURN", 0, Integer.MAX_VALUE, "BAD unknown LIST option");
                }
                server.append("INBOX", Interop.big("<a@x>", 100), Set.of(), Instant.now());
                server.append("Other", Interop.big("<b@x>", 100), Set.of(), Instant.now());
                server.append("Other", Interop.big("<c@x>", 100), Set.of(), Instant.now());
                Map<String, FolderStatus> listed;
                try (SourceConnection c = Interop.source(server, Duration.ofSeconds(20)).build().connect()) {
                    listed = listThenStatus(c);
                }
                assertThat(listed.get("INBOX").messages()).as("refused: %s", refuse).isEqualTo(1);
                assertThat(listed.get("Other").messages()).isEqualTo(2);
                assertThat(listed.get("Other").uidNext()).isEqualTo(3);
                assertThat(server.commands()).anyMatch(c -> c.startsWith("LIST \"\" \"*\" RETURN (CHILDREN STATUS ("))
                        .filteredOn(c -> c.startsWith("STATUS")).hasSize(2);
            }
        }
    }
}
