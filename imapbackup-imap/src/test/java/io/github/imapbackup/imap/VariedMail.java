package io.github.imapbackup.imap;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An account of varied mail for the restore round trips: nested folders and a non-ASCII one,
 * 8-bit headers, a message without Message-ID, one folder holding the same message twice, CRLF and
 * bare-LF bodies, a message without final line end, a {@code From } line in a body, every system
 * flag and keywords, INTERNALDATEs in the past.
 */
final class VariedMail {

    /** Folder names with {@code \u0000} for the delimiter (decoded; the non-ASCII one in modified UTF-7 on the wire). */
    static final List<String> FOLDERS = List.of("INBOX", "Archive\u00002019\u0000Q3", "Archive\u00002020",
            "Entw\u00fcrfe", "Sent");

    private VariedMail() { }

    /** Fills the user's account on {@code d} (folders created with the server's separator). */
    static int fill(Dovecot d, String user) throws IOException {
        String s = String.valueOf(d.separator());
        String inbox = "INBOX";
        String q3 = "Archive" + s + "2019" + s + "Q3";
        String y2020 = "Archive" + s + "2020";
        String drafts = "Entw&APw-rfe";
        String sent = "Sent";
        int n = 0;
        try (ImapTestClient c = d.login(user)) {
            for (String f : List.of(q3, y2020, drafts, sent)) {
                c.createFolder(f);
            }
            c.append(inbox, bytes("Message-ID: <crlf@varied>\r\nFrom: a@example.org\r\nSubject: crlf\r\n\r\n"
                    + "line one\r\nFrom here on\r\n>From quoted\r\n"), Set.of("\\Seen", "$Label1"), at("2019-07-14T10:15:30Z"));
            c.append(inbox, bytes("Message-ID: <8bit@varied>\r\nFrom: J\u00fcrgen <j@example.org>\r\n"
                    + "Subject: Gr\u00fc\u00dfe aus K\u00f6ln\r\n\r\nGr\u00fc\u00dfe \u20ac\r\n"),
                    Set.of("\\Answered", "\\Flagged"), at("2018-01-02T03:04:05Z"));
            c.append(inbox, bytes("From: nobody@example.org\r\nSubject: no id\r\n\r\nwithout Message-ID\r\n"),
                    Set.of("\\Draft", "Work"), at("2017-05-06T07:08:09Z"));
            n += 3;
            c.append(q3, bytes("Message-ID: <nofinal@varied>\r\nSubject: no final\r\n\r\nno line end"),
                    Set.of("Work", "Later", "\\Seen"), at("2019-08-01T00:00:00Z"));
            c.append(q3, bytes("Message-ID: <lf@varied>\nSubject: bare lf\n\nbody with\nbare line feeds\n"),
                    Set.of(), at("2019-09-30T23:59:59Z"));
            n += 2;
            byte[] twice = bytes("Message-ID: <twice@varied>\r\nSubject: twice\r\n\r\nheld twice\r\n");
            c.append(y2020, twice, Set.of("\\Seen"), at("2020-02-29T12:00:00Z"));
            c.append(y2020, twice, Set.of("\\Flagged", "\\Deleted"), at("2020-03-01T12:00:00Z"));
            c.append(y2020, bytes("Message-ID: <crlf@varied>\r\nFrom: a@example.org\r\nSubject: crlf\r\n\r\n"
                    + "line one\r\nFrom here on\r\n>From quoted\r\n"), Set.of("$Label1"), at("2020-04-01T00:00:00Z"));
            n += 3;
            c.append(drafts, bytes("Message-ID: <draft@varied>\r\nSubject: =?utf-8?q?Entwurf?=\r\n\r\nEntwurf\r\n"),
                    Set.of("\\Draft", "\\Seen"), at("2021-01-01T00:00:01Z"));
            c.append(sent, bytes("Message-ID: <sent@varied>\r\nTo: b@example.org\r\nSubject: sent\r\n\r\nsent\r\n"),
                    Set.of("\\Seen", "\\Answered", "\\Flagged", "\\Draft", "$Forwarded", "Work"),
                    at("2016-12-31T23:59:59Z"));
            n += 2;
        }
        return n;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
