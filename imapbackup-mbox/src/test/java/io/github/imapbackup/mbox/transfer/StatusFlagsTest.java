package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.MboxStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusFlagsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            Status: RO                                | \\Seen
            Status: O                                 |
            X-Status: AF                              | \\Answered \\Flagged
            Status: R\\nX-Status: TD                   | \\Seen \\Draft \\Deleted
            X-Keywords: $Label1, Work  NonJunk        | $Label1 Work NonJunk
            X-Keywords: good bad]one                  | good
            X-Mozilla-Status: 0001                    | \\Seen
            X-Mozilla-Status: 0005                    | \\Seen \\Flagged
            X-Mozilla-Status: 100a                    | \\Answered \\Deleted $Forwarded
            X-Mozilla-Status: zz                      |
            X-Mozilla-Keys: $label1 todo              | $label1 todo
            Status: R\\nStatus: O                      | \\Seen
            Status: O\\nStatus: R                      |
            X-Status:\\n\\tA                            | \\Answered
            Subject: x\\n\\nStatus: R                   |
            """)
    void headerFieldsGiveFlags(String header, String expected) {
        String text = "From: a@b\n" + header.replace("\\n", "\n").replace("\\t", "\t") + "\n\nbody\n";
        Set<String> want = expected == null ? Set.of() : Set.of(expected.split(" "));
        assertThat(StatusFlags.parse(text)).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    void sniffingLeavesTheStreamAtTheStart() throws Exception {
        byte[] m = "Status: RO\r\nX-Status: F\r\n\r\nbody\r\n".getBytes(StandardCharsets.ISO_8859_1);
        InputStream in = new java.io.BufferedInputStream(new ByteArrayInputStream(m), 16);
        assertThat(StatusFlags.sniff(in, 16)).containsExactly("\\Seen");
        assertThat(in.readAllBytes()).isEqualTo(m);
    }

    @Test
    void importKeepsTheFlagsOtherProgramsWrote(@TempDir Path dir) throws Exception {
        String mbox = "From a@b Mon Jan  1 00:00:00 2024\n"
                + "Message-ID: <one@x>\nStatus: RO\nX-Status: A\nX-Keywords: Work\n\none\n\n"
                + "From - Mon Jan  1 00:00:00 2024\n"
                + "Message-ID: <two@x>\nX-Mozilla-Status: 0005\nX-Mozilla-Keys: $label1\n\ntwo\n\n"
                + "From a@b Mon Jan  1 00:00:00 2024\n"
                + "Message-ID: <three@x>\n\nthree\n";
        Path file = dir.resolve("in.mbox");
        Files.writeString(file, mbox, StandardCharsets.ISO_8859_1);
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        MboxImporter.builder(store).build().importFile(file, "Imported");
        FolderInfo f = new FolderInfo("Imported", "/", Set.of(), false);
        List<ArchivedMessage> archived;
        try (var archive = store.openReadOnly(f).orElseThrow()) {
            archived = archive.messages();
        }
        assertThat(archived).extracting(ArchivedMessage::flags).containsExactly(
                Set.of("\\Seen", "\\Answered", "Work"), Set.of("\\Seen", "\\Flagged", "$label1"), Set.of());
    }
}
