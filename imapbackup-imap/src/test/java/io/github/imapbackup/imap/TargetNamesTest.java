package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The target's folder names: delimiters, prefix, INBOX, special-use, names that cannot be made. */
class TargetNamesTest {

    private static final Map<String, String> SPECIAL = Map.of("\\Sent", "Sent Messages", "\\Trash", "Bin");

    private static FolderInfo folder(String name, String delimiter, String... attributes) {
        return new FolderInfo(name, delimiter, Set.of(attributes), true);
    }

    @Test
    void segmentsAreJoinedWithTheTargetsDelimiter() throws Exception {
        TargetNames dot = new TargetNames(".", "", Map.of());
        assertThat(dot.map(folder("Archive/2019/Q3", "/"))).isEqualTo("Archive.2019.Q3");
        assertThat(new TargetNames("/", "", Map.of()).map(folder("Archive.2019.Q3", "."))).isEqualTo("Archive/2019/Q3");
        assertThat(dot.map(folder("Entw\u00fcrfe", ""))).isEqualTo("Entw\u00fcrfe");
        assertThat(dot.map(folder("/lead//double/", "/"))).isEqualTo(".lead..double.");
    }

    @Test
    void inboxStaysInboxAndGoesUnderThePrefix() throws Exception {
        assertThat(new TargetNames("/", "", Map.of()).map(folder("inbox", "."))).isEqualTo("INBOX");
        assertThat(new TargetNames("/", "", Map.of()).map(folder("Inbox.Sub", "."))).isEqualTo("INBOX/Sub");
        TargetNames prefixed = new TargetNames(".", "Restored", SPECIAL);
        assertThat(prefixed.map(folder("INBOX", "/"))).isEqualTo("Restored.INBOX");
        assertThat(prefixed.map(folder("Sent", "/", "\\Sent"))).as("no special-use under a prefix")
                .isEqualTo("Restored.Sent");
    }

    @Test
    void specialUseGoesToTheTargetsFolderByAttributeOrWellKnownName() throws Exception {
        TargetNames names = new TargetNames("/", "", SPECIAL);
        assertThat(names.map(folder("Gesendet", "/", "\\HasNoChildren", "\\Sent"))).isEqualTo("Sent Messages");
        assertThat(names.map(folder("SENT ITEMS", "/"))).isEqualTo("Sent Messages");
        assertThat(names.map(folder("Deleted Items", "."))).isEqualTo("Bin");
        assertThat(names.map(folder("Sent", "/", "\\HasNoChildren"))).as("attributes recorded, none special")
                .isEqualTo("Sent");
        assertThat(names.map(folder("Archive/Sent", "/"))).as("top level only").isEqualTo("Archive/Sent");
        assertThat(names.map(folder("Drafts", "/"))).as("the target has no \\Drafts").isEqualTo("Drafts");
        assertThat(new TargetNames("/", "", Map.of()).map(folder("Sent", "/", "\\Sent"))).isEqualTo("Sent");
    }

    @Test
    void aPersonalNamespaceLikeCouriersHoldsEveryFolderButInbox() throws Exception {
        TargetNames courier = new TargetNames(".", "", Map.of(), "INBOX.");
        assertThat(courier.map(folder("Archive/2019", "/"))).isEqualTo("INBOX.Archive.2019");
        assertThat(courier.map(folder("INBOX", "/"))).isEqualTo("INBOX");
        assertThat(courier.map(folder("INBOX.Sent", "."))).isEqualTo("INBOX.Sent");
        assertThat(new TargetNames(".", "Restored", Map.of(), "INBOX.").map(folder("INBOX", "/")))
                .isEqualTo("INBOX.Restored.INBOX");
    }

    @Test
    void aSegmentHoldingTheTargetsDelimiterFailsTheFolderByName() {
        assertThatThrownBy(() -> new TargetNames(".", "", Map.of()).map(folder("Projects/v1.2", "/")))
                .isInstanceOf(FolderException.class)
                .hasMessageContaining("\"Projects/v1.2\"").hasMessageContaining("\"v1.2\"");
        assertThatThrownBy(() -> new TargetNames("", "", Map.of()).map(folder("a/b", "/")))
                .isInstanceOf(FolderException.class).hasMessageContaining("no folder hierarchy");
    }
}
