package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Foreign mbox files imported, then read back as a restore reads the backup directory: the dates
 * and flags other programs wrote, and a Google Takeout mbox with its labels as folders.
 */
@Timeout(60)
class ForeignFlagsAndDatesTest {

    @TempDir
    Path dir;

    /** Each folder the source offers: its attributes, and per message "id flags date". */
    private static Map<String, List<String>> offered(MboxStore store, ArchiveSelection selection) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (SourceConnection c = store.asSource(selection).connect()) {
            for (FolderInfo f : c.folders()) {
                List<String> messages = new ArrayList<>();
                messages.add("attributes " + new java.util.TreeSet<>(f.attributes()));
                try (SourceFolder open = c.open(f)) {
                    for (MessageInfo m : open.messages(1)) {
                        try (InputStream in = open.openMessage(m.uid())) {
                            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                                    .contains("Message-ID: <" + id(m) + "@x>");
                        }
                        messages.add(id(m) + " " + new java.util.TreeSet<>(m.flags()) + " " + m.internalDate());
                    }
                }
                out.put(f.name(), messages);
            }
        }
        return out;
    }

    private static String id(MessageInfo m) {
        String v = m.identity().value();
        return v.substring(v.indexOf('<') + 1, v.indexOf('@'));
    }

    @Test
    void aMessageWithoutFromLineDateGetsItsDateHeaderElseTheFileTime() throws IOException {
        String mbox = "From a@example.org Mon Jan  1 10:00:00 2024\nMessage-ID: <a@x>\nDate: Fri, 5 May 2000 01:02:03 +0000\n"
                + "Status: RO\n\na\n\n"
                + "From -\nMessage-ID: <b@x>\nDate: Tue, 2 Jan 2024 12:00:00 +0100 (CET)\nX-Mozilla-Status: 0003\n\nb\n\n"
                + "From x@example.org\nMessage-ID: <c@x>\nDate: not a date\n\nc\n";
        Path file = Files.writeString(dir.resolve("Foreign.mbox"), mbox, StandardCharsets.ISO_8859_1);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-06-07T08:09:10Z")));
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        MboxImporter.builder(store).build().importFiles(List.of(file), null);
        assertThat(offered(store, ArchiveSelection.all())).containsExactly(Map.entry("Foreign", List.of(
                "attributes []",
                "a [\\Seen] 2024-01-01T10:00:00Z",
                "b [\\Answered, \\Seen] 2024-01-02T11:00:00Z",
                "c [] 2025-06-07T08:09:10Z")));
    }

    @Test
    void aTakeoutImportOffersEachMessageInTheFoldersItsLabelsName() throws IOException {
        String from = "From 1590919871183316745@xxx Sun May 31 09:30:44 +0000 2020\n";
        String mbox = from + "X-GM-THRID: 1\nX-Gmail-Labels: Inbox,Important,Opened,Category Updates\nMessage-ID: <in@x>\n\n1\n\n"
                + from + "X-Gmail-Labels: Archived,Unread,\"Work, old\",Work/2019\nMessage-ID: <work@x>\n\n2\n\n"
                + from + "X-Gmail-Labels: Sent,Starred,\n Opened\nMessage-ID: <sent@x>\n\n3\n\n"
                + from + "X-Gmail-Labels: Archived,Opened\nMessage-ID: <all@x>\n\n4\n\n"
                + from + "X-Gmail-Labels: =?UTF-8?Q?Entw=C3=BCrfe?=,Opened,Trash\nMessage-ID: <de@x>\n\n5\n";
        Path file = Files.writeString(dir.resolve("All mail Including Spam and Trash.mbox"), mbox,
                StandardCharsets.ISO_8859_1);
        Path other = Files.writeString(dir.resolve("Other.mbox"),
                "From a@example.org Mon Jan  1 10:00:00 2024\nMessage-ID: <plain@x>\nStatus: RO\n\nx\n",
                StandardCharsets.ISO_8859_1);
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        MboxImporter.builder(store).build().importFiles(List.of(file, other), null);
        // the same messages again, as a per-label export imported into another folder: offered once per label
        MboxImporter.builder(store).build().importFiles(List.of(file), "Takeout again");
        String date = " 2020-05-31T09:30:44Z";
        assertThat(offered(store, ArchiveSelection.builder().labelsAsFolders(true).build())).containsExactly(
                Map.entry("Entwürfe", List.of("attributes []", "de [\\Seen]" + date)),
                Map.entry("INBOX", List.of("attributes []", "in [\\Seen]" + date)),
                Map.entry("Other", List.of("attributes []", "plain [\\Seen] 2024-01-01T10:00:00Z")),
                Map.entry("Work, old", List.of("attributes []", "work []" + date)),
                Map.entry("Work/2019", List.of("attributes []", "work []" + date)),
                Map.entry("[Gmail]/All Mail", List.of("attributes [\\All]", "all [\\Seen]" + date)),
                Map.entry("[Gmail]/Important", List.of("attributes [\\Important]", "in [\\Seen]" + date)),
                Map.entry("[Gmail]/Sent Mail", List.of("attributes [\\Sent]", "sent [\\Flagged, \\Seen]" + date)),
                Map.entry("[Gmail]/Starred", List.of("attributes [\\Flagged]", "sent [\\Flagged, \\Seen]" + date)),
                Map.entry("[Gmail]/Trash", List.of("attributes [\\Trash]", "de [\\Seen]" + date)));
        assertThat(offered(store, ArchiveSelection.builder().labelsAsFolders(true)
                .messageIds(Set.of("work@x")).build()).keySet()).containsExactly("Work, old", "Work/2019");
    }
}
