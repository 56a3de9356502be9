package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of Gmail with one copy per message (labels recorded in the index) read as a restore with
 * {@link ArchiveSelection#labelsAsFolders()}: each message in one folder per label, INBOX for
 * {@code \Inbox}, Gmail's folders for its system labels, All Mail for a message without one, Spam
 * and Trash as they are; a message All Mail held twice is offered twice.
 */
@Timeout(30)
class RecordedLabelsRestoreTest {

    private static final FolderInfo ALL = new FolderInfo("[Gmail]/All Mail", "/", Set.of("\\All"), true);
    private static final FolderInfo SPAM = new FolderInfo("[Gmail]/Spam", "/", Set.of("\\Junk"), true);

    @TempDir
    Path dir;

    private static void append(FolderArchive a, long uid, String id, Set<String> labels) throws IOException {
        byte[] b = ArchiveSelectionTest.bytes(id);
        a.append(new FolderArchive.NewMessage(7, uid, EXTRACTOR.identify(new ByteArrayInputStream(b)), b.length,
                Instant.parse("2026-10-01T08:00:00Z"), Set.of("\\Seen"), null, labels), new ByteArrayInputStream(b));
    }

    @Test
    void eachMessageGoesIntoTheFoldersItsRecordedLabelsName() throws IOException {
        MboxStore store = MboxStore.builder(dir).codec("none").build();
        try (FolderArchive a = store.open(ALL, EXTRACTOR)) {
            append(a, 1, "three", Set.of("\\Inbox", "Work/2026", "Café", "\\Important"));
            append(a, 2, "archived", Set.of());
            append(a, 3, "sent", Set.of("\\Sent", "\\Starred", "Work/2026"));
            append(a, 4, "twice", Set.of("\\Inbox"));
            append(a, 5, "twice", Set.of("\\Inbox"));
            append(a, 6, "draft", Set.of("\\Draft", "\\AllMail"));
        }
        try (FolderArchive s = store.open(SPAM, EXTRACTOR)) {
            append(s, 1, "spam", Set.of("Work/2026"));
        }

        Map<String, List<String>> offered = offered(store, ArchiveSelection.builder().labelsAsFolders(true).build());

        assertThat(offered).containsExactly(
                Map.entry("Café", List.of("[]", "three")),
                Map.entry("INBOX", List.of("[]", "three", "twice", "twice")),
                Map.entry("Work/2026", List.of("[]", "three", "sent")),
                Map.entry("[Gmail]/All Mail", List.of("[\\All]", "archived")),
                Map.entry("[Gmail]/Drafts", List.of("[\\Drafts]", "draft")),
                Map.entry("[Gmail]/Important", List.of("[\\Important]", "three")),
                Map.entry("[Gmail]/Sent Mail", List.of("[\\Sent]", "sent")),
                Map.entry("[Gmail]/Spam", List.of("[\\Junk]", "spam")),
                Map.entry("[Gmail]/Starred", List.of("[\\Flagged]", "sent")));
        // without the option: the folders as they were backed up
        assertThat(offered(store, ArchiveSelection.builder().build()).keySet())
                .containsExactly("[Gmail]/All Mail", "[Gmail]/Spam");
    }

    /** Each folder offered: its attributes, then its messages' ids. */
    private static Map<String, List<String>> offered(MboxStore store, ArchiveSelection selection) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (SourceConnection c = store.asSource(selection).connect()) {
            for (FolderInfo f : c.folders()) {
                List<String> ids = new ArrayList<>();
                ids.add(new TreeSet<>(f.attributes()).toString());
                try (SourceFolder open = c.open(f)) {
                    for (MessageInfo m : open.messages(1)) {
                        String v = m.identity().value();
                        ids.add(v.substring(v.indexOf('<') + 1, v.indexOf('@')));
                    }
                }
                out.put(f.name(), ids);
            }
        }
        return out;
    }
}
