package io.github.imapbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One public folder filter for backup, export and verify: what the session's selection and the CLI's options did. */
@Timeout(10)
class FolderFilterTest {

    private static FolderInfo folder(String name, boolean subscribed, String... attributes) {
        return new FolderInfo(name, "/", Set.of(attributes), subscribed);
    }

    private final List<FolderInfo> server = List.of(folder("INBOX", true), folder("Archive", false, "\\Noselect"),
            folder("Archive/2019", false), folder("Sent", true), folder("Trash", true));

    @Test
    void allSelectsEverySelectableFolderInListingOrder() {
        FolderFilter.Selection s = FolderFilter.all().select(server, "on the server");
        assertThat(s.folders()).extracting(FolderInfo::name).containsExactly("INBOX", "Archive/2019", "Sent", "Trash");
        assertThat(s.missing()).isEmpty();
        assertThat(FolderFilter.all().selectsAll()).isTrue();
    }

    @Test
    void includedNamesAreExactExceptInboxAndKeepListingOrder() {
        FolderFilter f = FolderFilter.all().include("Sent", "inbox", "sent", "Archive");
        FolderFilter.Selection s = f.select(server, "on the server");
        assertThat(s.folders()).extracting(FolderInfo::name).containsExactly("INBOX", "Sent");
        assertThat(s.missing()).containsOnlyKeys("sent", "Archive");
        assertThat(s.missing().get("sent")).isEqualTo(FolderNames.notFound("sent",
                List.of("INBOX", "Archive", "Archive/2019", "Sent", "Trash"), "on the server"));
        assertThat(s.missing().get("Archive")).contains("cannot be selected");
        assertThat(f.selects("Inbox")).isTrue();
        assertThat(f.selects("Trash")).isFalse();
    }

    @Test
    void exclusionsMatchWholeNamesAndInboxInAnyCase() {
        FolderFilter f = FolderFilter.all().exclude("inbox").exclude("Arch.*");
        assertThat(f.select(server, "on the server").folders()).extracting(FolderInfo::name)
                .containsExactly("Sent", "Trash");
        assertThat(f.selects("Archive/2019")).isFalse();
        assertThat(FolderFilter.all().exclude("Sen").selects("Sent")).isTrue();
        assertThatThrownBy(() -> FolderFilter.all().exclude("(")).isInstanceOf(PatternSyntaxException.class);
    }

    @Test
    void subscribedOnlyDropsUnsubscribedFolders() {
        FolderFilter f = FolderFilter.all().subscribedOnly(true);
        assertThat(f.select(server, "on the server").folders()).extracting(FolderInfo::name)
                .containsExactly("INBOX", "Sent", "Trash");
        assertThat(f.selectsAll()).isFalse();
    }

    @Test
    void filtersAreValuesAndEachChangeIsANewOne() {
        FolderFilter a = FolderFilter.all().include("INBOX").exclude("Trash");
        assertThat(a).isEqualTo(FolderFilter.all().include("INBOX").exclude("Trash")).hasSameHashCodeAs(
                FolderFilter.all().include("INBOX").exclude("Trash"));
        assertThat(a.include("Sent")).isNotEqualTo(a);
        assertThat(a.included()).containsExactly("INBOX");
        assertThat(a.toString()).contains("INBOX").contains("Trash");
    }

    @Test
    void aSessionTakesTheFilterAndItsShorthandsChangeIt() throws Exception {
        MemorySource source = new MemorySource();
        source.folder("INBOX").add("Message-ID: <i@example.org>\r\n\r\ni\r\n");
        source.folder("Sent").add("Message-ID: <s@example.org>\r\n\r\ns\r\n");
        source.folder("Trash").add("Message-ID: <t@example.org>\r\n\r\nt\r\n");
        MemoryStore store = new MemoryStore();
        BackupSession session = BackupSession.builder().source(source).target(store)
                .folderFilter(FolderFilter.all().exclude("Trash")).folders("Inbox", "Sent").build();
        assertThat(session.folderFilter()).isEqualTo(FolderFilter.all().exclude("Trash").include("Inbox", "Sent"));
        BackupReport r = session.run();
        assertThat(r.folders()).extracting(FolderReport::name).containsExactly("INBOX", "Sent");
        assertThat(session.toBuilder().build().folderFilter()).isEqualTo(session.folderFilter());
    }
}
