package io.github.imapbackup.mbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GmailLabelsTest {

    /** The header value as HeaderFields gives it: the raw bytes as ISO-8859-1 chars. */
    private static String raw(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void labelsAreCommaSeparatedWithQuotesForCommasAndQuotes() {
        assertThat(GmailLabels.parse("Inbox,\"Work, old\",\"say \"\"hi\"\"\", ,Opened ,"))
                .containsExactly("Inbox", "Work, old", "say \"hi\"", "Opened");
        assertThat(GmailLabels.parse("")).isEmpty();
        assertThat(GmailLabels.parse("\"unclosed, quote")).containsExactly("unclosed, quote");
    }

    @Test
    void rawUtf8AndEncodedWordsAreDecodedAndBrokenOnesKept() {
        assertThat(GmailLabels.parse(raw("Entwürfe,日本"))).containsExactly("Entwürfe", "日本");
        assertThat(GmailLabels.parse("=?UTF-8?B?5pel5pys?= =?utf-8?q?_x?=,=?ISO-8859-1?Q?caf=E9?="))
                .containsExactly("日本 x", "café");
        assertThat(GmailLabels.parse("=?no-such-charset?Q?x?=,=?UTF-8?Q?=ZZ?="))
                .containsExactly("=?no-such-charset?Q?x?=", "=?UTF-8?Q?=ZZ?=");
        assertThat(GmailLabels.parse("caf\u00e9")).as("not UTF-8: kept as ISO-8859-1").containsExactly("caf\u00e9");
    }

    @Test
    void foldersAreAsGmailsImapShowsThemAndNoMessageIsLeftWithout() {
        assertThat(GmailLabels.folders(List.of("Inbox", "Sent", "Category Social", "Opened", "Work/2019", "Sent")))
                .containsExactly(new GmailLabels.Folder("INBOX", Set.of()),
                        new GmailLabels.Folder("[Gmail]/Sent Mail", Set.of("\\Sent")),
                        new GmailLabels.Folder("Work/2019", Set.of()));
        assertThat(GmailLabels.folders(List.of("Archived", "Unread", "Category Updates")))
                .containsExactly(new GmailLabels.Folder(GmailLabels.ALL_MAIL, Set.of("\\All")));
        assertThat(GmailLabels.folders(List.of())).hasSize(1);
        assertThat(GmailLabels.folders(List.of("Spam", "Trash", "Drafts", "Important", "Starred", "Chat")))
                .extracting(GmailLabels.Folder::name).containsExactly("[Gmail]/Spam", "[Gmail]/Trash",
                        "[Gmail]/Drafts", "[Gmail]/Important", "[Gmail]/Starred", "[Gmail]/Chats");
    }

    @Test
    void flagsComeFromTheStateLabels() {
        assertThat(GmailLabels.flags(List.of("Inbox", "Opened"))).containsExactly("\\Seen");
        assertThat(GmailLabels.flags(List.of("Inbox", "Unread", "Starred", "Drafts")))
                .containsExactlyInAnyOrder("\\Flagged", "\\Draft");
    }
}
