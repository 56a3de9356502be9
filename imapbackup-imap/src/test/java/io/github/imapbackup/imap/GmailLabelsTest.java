package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderInfo;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.FetchItem;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The builder option, the folders a {@link GmailLabels#STORE_ONCE} source keeps, and the parsing of
 * {@code X-GM-LABELS} in every form Gmail may send a label.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GmailLabelsTest {

    /** The snippet of {@link GmailLabels}. */
    static ImapSource snippet(char[] appPassword) {
        ImapSource gmail = ImapSource.builder()
                .host("imap.gmail.com")
                .user("alice@gmail.com")
                .password(() -> appPassword.clone())
                .gmailLabels(GmailLabels.STORE_ONCE)   // All Mail, Spam and Trash; labels recorded
                .build();
        return gmail;
    }

    @Test
    void theDefaultIsPerLabelCopiesAndToBuilderKeepsTheMode() {
        ImapSource gmail = snippet("pw".toCharArray());
        assertThat(gmail.gmailLabels()).isEqualTo(GmailLabels.STORE_ONCE);
        assertThat(gmail.toBuilder().build().gmailLabels()).isEqualTo(GmailLabels.STORE_ONCE);
        assertThat(ImapSource.builder().host("h").user("u").password(() -> new char[1]).build().gmailLabels())
                .isEqualTo(GmailLabels.PER_LABEL_COPIES);
        assertThatThrownBy(() -> ImapSource.builder().gmailLabels(null)).isInstanceOf(NullPointerException.class);
    }

    private static FolderInfo folder(String name, String... attributes) {
        return new FolderInfo(name, "/", Set.of(attributes), true);
    }

    @Test
    void storeOnceKeepsAllMailSpamAndTrashByAttributeWhateverTheirNames() {
        List<FolderInfo> all = List.of(folder("INBOX"), folder("Arbeit"), folder("[Google Mail]", "\\Noselect"),
                folder("[Google Mail]/Alle Nachrichten", "\\All", "\\HasNoChildren"),
                folder("[Google Mail]/Gesendet", "\\Sent"), folder("[Google Mail]/Markiert", "\\Flagged"),
                folder("[Google Mail]/Wichtig", "\\Important"), folder("[Google Mail]/Entw\u00fcrfe", "\\Drafts"),
                folder("[Google Mail]/Spam", "\\Junk"), folder("[Google Mail]/Papierkorb", "\\Trash"));
        assertThat(GmailFolders.storeOnce(all, true, "test")).extracting(FolderInfo::name).containsExactly(
                "[Google Mail]/Alle Nachrichten", "[Google Mail]/Spam", "[Google Mail]/Papierkorb");
        assertThat(GmailFolders.storeOnce(all, false, "test")).isEqualTo(all);
        List<FolderInfo> hidden = List.of(folder("INBOX"), folder("[Gmail]/Spam", "\\Junk"));
        assertThat(GmailFolders.storeOnce(hidden, true, "test")).isEqualTo(hidden);
    }

    /** Reads one FETCH response as a connection does, with the fetch items of {@link ReusingProtocol}. */
    private static Set<String> parse(String items) throws Exception {
        byte[] wire = ("* 1 FETCH (UID 7 " + items + ")\r\n").getBytes(StandardCharsets.UTF_8);
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(wire),
                new PrintStream(OutputStream.nullOutputStream()), new Properties(), false) {
            @Override
            public FetchItem[] getFetchItems() {
                return GmailFolders.FETCH_ITEMS;
            }
        };
        return GmailFolders.labelsOf((FetchResponse) p.readResponse());
    }

    @Test
    void labelsAreReadAsAtomsQuotedStringsAndLiteralsAndDecodedFromModifiedUtf7() throws Exception {
        assertThat(parse("X-GM-LABELS (\\Inbox \\Important Work \"My Label\" \"\\\\Sent\" Caf&AOk- {5}\r\nA (b) \"x\\\"y\")"))
                .containsExactly("\\Inbox", "\\Important", "Work", "My Label", "\\Sent", "Caf\u00e9", "A (b)", "x\"y");
        assertThat(parse("X-GM-LABELS ()")).isEmpty();
        assertThat(parse("X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 X-GM-LABELS (a)"))
                .containsExactly("a");
        assertThat(parse("X-GM-MSGID 1278455344230334865")).isNull();
        // never a response Angus would drop (and its message missed): NIL, odd bytes
        assertThat(parse("X-GM-LABELS NIL")).isEmpty();
        assertThat(parse("X-GM-LABELS (]odd% *x \u65e5\u672c)")).containsExactly("]odd%", "*x", "\u65e5\u672c");
        assertThat(parse("X-GM-LABELS (a\\b) MODSEQ (5)")).containsExactly("a\\b");
    }
}
