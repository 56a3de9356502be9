package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** INBOX is INBOX in any case (RFC 3501 §5.1), in --folder and --exclude; every other name is case-sensitive. */
@Timeout(10)
class FolderSelectionTest {

    private final MemorySource source = new MemorySource();
    private final MemoryStore store = new MemoryStore();

    @BeforeEach
    void folders() {
        source.folder("INBOX").add("Message-ID: <i@example.org>\r\n\r\ni\r\n");
        source.folder("INBOX/Sub").add("Message-ID: <s@example.org>\r\n\r\ns\r\n");
        source.folder("Sent").add("Message-ID: <t@example.org>\r\n\r\nt\r\n");
    }

    private BackupSession.Builder session() {
        return BackupSession.builder().source(source).target(store);
    }

    private static FolderReport folder(BackupReport r, String name) {
        return r.folders().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void inboxInAnyCaseSelectsTheInboxUnderTheServersName() throws Exception {
        BackupReport r = session().folders("Inbox", "inbox").build().run();
        assertThat(r.hasFailures()).as(r.toString()).isFalse();
        assertThat(r.folders()).extracting(FolderReport::name).containsExactly("INBOX");
        assertThat(store.folderNames()).containsExactly("INBOX");
    }

    @Test
    void inboxInAnyCaseIsExcluded() throws Exception {
        BackupReport r = session().exclude("inbox").build().plan();
        assertThat(r.folders()).extracting(FolderReport::name).containsExactly("INBOX/Sub", "Sent");
    }

    @Test
    void otherNamesStayCaseSensitiveAndAMissingOneNamesTheSimilarOnes() throws Exception {
        BackupReport r = session().folders("sent", "Inbox/Sub").exclude("sent").build().run();
        assertThat(r.hasFailures()).isTrue();
        assertThat(folder(r, "sent").errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("\"sent\" not found").contains("\"Sent\"").contains("folders"));
        assertThat(folder(r, "Inbox/Sub").errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("not found").contains("\"INBOX/Sub\""));
        assertThat(store.folderNames()).isEmpty();
    }
}
