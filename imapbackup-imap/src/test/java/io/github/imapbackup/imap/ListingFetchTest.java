package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import jakarta.mail.internet.MailDateFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchItem;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.Item;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ListingFetch} reads what Angus's {@code FetchResponse} reads, item for item, from the same
 * bytes (randomised responses: the seed is printed and replays with {@code -Dimapbackup.seed}), and
 * leaves to Angus every response it does not know.
 */
class ListingFetchTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final String[] FLAGS_SEEN = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "\\Recent",
        "\\*", "$Forwarded", "$Junk", "NonJunk", "\\Sent", "\\seen", "\\DRAFT", "Work"};

    /** Reads one response from raw bytes, as a connection does (literals included). */
    private static IMAPResponse response(byte[] raw) throws IOException, ProtocolException {
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(raw), new PrintStream(OutputStream.nullOutputStream()),
                new Properties(), false);
        return new IMAPResponse(p);
    }

    private static IMAPResponse response(String raw) throws IOException, ProtocolException {
        return response(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static FetchResponse angus(IMAPResponse r) throws Exception {
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(new byte[0]),
                new PrintStream(OutputStream.nullOutputStream()), new Properties(), false);
        return new FetchResponse(r, new FetchItem[0], p);
    }

    @Test
    void readsWhatAngusReadsFromTheSameBytes() throws Exception {
        long seed = seeds.pick();
        System.out.println("ListingFetchTest seed " + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed + ")");
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] raw = randomResponse(rnd);
            String what = "seed " + seed + " case " + i + ": " + new String(raw, StandardCharsets.ISO_8859_1);
            ListingFetch ours = ListingFetch.read(response(raw));
            assertThat(ours).as(what).isNotNull();
            FetchResponse theirs = angus(response(raw));
            assertThat(ours.uid).as(what).isEqualTo(theirs.getItem(UID.class).uid);
            Long size = null;
            Instant date = null;
            Set<String> flags = null;
            Long modSeq = null;
            ByteArray header = null;
            boolean hasHeader = false;
            for (int k = 0; k < theirs.getItemCount(); k++) {
                Item item = theirs.getItem(k);
                if (item instanceof RFC822SIZE s) {
                    size = s.size;
                } else if (item instanceof INTERNALDATE d) {
                    date = d.getDate().toInstant();
                } else if (item instanceof FLAGS f) {
                    flags = Messages.flags(f);
                } else if (item instanceof MODSEQ m) {
                    modSeq = m.modseq;
                } else if (item instanceof BODY b) {
                    header = b.getByteArray();
                    hasHeader = true;
                }
            }
            assertThat(ours.rfc822Size).as(what).isEqualTo(size == null ? -1 : size);
            assertThat(ours.internalDate).as(what).isEqualTo(date);
            assertThat(ours.flags).as(what).isEqualTo(flags);
            if (flags != null) {
                assertThat(List.copyOf(ours.flags)).as(what + " (order)").isEqualTo(List.copyOf(flags));
            }
            assertThat(ours.modSeq).as(what).isEqualTo(modSeq == null ? -1 : modSeq);
            assertThat(ours.hasHeader).as(what).isEqualTo(hasHeader);
            assertThat(bytes(ours.header)).as(what).isEqualTo(bytes(header));
        }
    }

    /** A FETCH response to the listing's command: its items in any order, names in any case, values in their forms. */
    private static byte[] randomResponse(Random rnd) {
        List<byte[]> items = new ArrayList<>();
        items.add(ascii(cased(rnd, "UID") + " " + (1 + rnd.nextInt(Integer.MAX_VALUE))));
        if (rnd.nextInt(10) > 0) {
            items.add(ascii(cased(rnd, "RFC822.SIZE") + " " + rnd.nextInt(50_000_000)));
        }
        if (rnd.nextInt(10) > 0) {
            items.add(ascii(cased(rnd, "INTERNALDATE") + " \"" + randomDate(rnd) + "\""));
        }
        if (rnd.nextInt(10) > 0) {
            List<String> f = new ArrayList<>();
            for (String flag : FLAGS_SEEN) {
                if (rnd.nextInt(3) == 0) {
                    f.add(flag);
                }
            }
            Collections.shuffle(f, rnd);
            items.add(ascii(cased(rnd, "FLAGS") + " (" + String.join(" ", f) + ")"));
        }
        if (rnd.nextBoolean()) {
            items.add(ascii(cased(rnd, "MODSEQ") + " (" + (1 + (rnd.nextLong() >>> 2)) + ")"));
        }
        if (rnd.nextInt(10) > 0) {
            String name = cased(rnd, "BODY") + "[HEADER.FIELDS (MESSAGE-ID FROM SENDER)] ";
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(ascii(name));
            switch (rnd.nextInt(6)) {
                case 0 -> b.writeBytes(ascii("NIL"));
                case 1 -> b.writeBytes(ascii("\"\""));
                default -> {
                    byte[] header = randomHeader(rnd);
                    b.writeBytes(ascii("{" + header.length + "}\r\n"));
                    b.writeBytes(header);
                }
            }
            items.add(b.toByteArray());
        }
        Collections.shuffle(items, rnd);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("* " + (1 + rnd.nextInt(100_000)) + " FETCH ("));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.writeBytes(ascii(rnd.nextInt(8) == 0 ? "  " : " "));
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes(ascii(")\r\n"));
        return out.toByteArray();
    }

    private static String randomDate(Random rnd) {
        int day = 1 + rnd.nextInt(28);
        String d = day < 10 && rnd.nextBoolean() ? " " + day : String.format(Locale.ROOT, "%02d", day);
        return String.format(Locale.ROOT, "%s-%s-%04d %02d:%02d:%02d %s%02d%02d", d, MONTHS[rnd.nextInt(12)],
                1900 + rnd.nextInt(300), rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60), rnd.nextBoolean() ? "+" : "-",
                rnd.nextInt(15), rnd.nextInt(4) * 15);
    }

    private static byte[] randomHeader(Random rnd) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (rnd.nextBoolean()) {
            b.writeBytes(ascii("Message-ID: <" + rnd.nextInt() + "@example.org>\r\n"));
        }
        if (rnd.nextBoolean()) {
            b.writeBytes(ascii("From: Somebody <a" + rnd.nextInt(1000) + "@example.org>\r\n"));
        }
        if (rnd.nextInt(4) == 0) {
            byte[] eight = new byte[1 + rnd.nextInt(20)];
            for (int i = 0; i < eight.length; i++) {
                eight[i] = (byte) (0x80 + rnd.nextInt(0x80));
            }
            b.writeBytes(ascii("Sender: "));
            b.writeBytes(eight);
            b.writeBytes(ascii(" <s@example.org>\r\n"));
        }
        b.writeBytes(ascii("\r\n"));
        return b.toByteArray();
    }

    private static String cased(Random rnd, String name) {
        return switch (rnd.nextInt(4)) {
            case 0 -> name.toLowerCase(Locale.ROOT);
            case 1 -> name.substring(0, 1) + name.substring(1).toLowerCase(Locale.ROOT);
            default -> name;
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteArray a) {
        return a == null ? null : Arrays.copyOfRange(a.getBytes(), a.getStart(), a.getStart() + a.getCount());
    }

    @Test
    void leavesToAngusWhatItDoesNotKnow() throws Exception {
        String body = "BODY[HEADER.FIELDS (MESSAGE-ID)] {4}\r\nX: y";
        for (String raw : List.of(
                "* 1 FETCH (UID 5 X-GM-LABELS (\\Inbox))\r\n", // an item it does not read
                "* 1 FETCH (UID 5 ENVELOPE NIL)\r\n",
                "* 1 FETCH (FLAGS (\\Seen))\r\n", // no UID: a change of flags, for Angus's handlers
                "* 1 FETCH (UID 5 UID 6)\r\n", // two UIDs
                "* 1 FETCH (UID 5 BODY[]<0> {4}\r\nX: y)\r\n", // a partial fetch's origin
                "* 1 FETCH (UID 5 INTERNALDATE NIL)\r\n",
                "* 1 FETCH (UID 5 INTERNALDATE \"6-Dec-2026 10:00:00 +0000\")\r\n", // the day not padded
                "* 1 FETCH (UID 5 INTERNALDATE \"31-Feb-2026 10:00:00 +0000\")\r\n",
                "* 1 FETCH (UID 5 INTERNALDATE \"06-dec-2026 10:00:00 +0000\")\r\n",
                "* 1 FETCH (UID 5 INTERNALDATE \"06-Dec-1500 10:00:00 +0000\")\r\n", // before 1900
                "* 1 FETCH (UID 5 INTERNALDATE \"06-Dec-2026 10:00:60 +0000\")\r\n",
                "* 1 FETCH (UID 5 INTERNALDATE \"Sun, 6 Dec 2026 10:00:00 +0000\")\r\n",
                "* 1 FETCH (UID 5 RFC822.SIZE x)\r\n",
                "* 1 FETCH (UID 5 MODSEQ 7)\r\n",
                "* 1 FETCH UID 5\r\n",
                "* 1 FETCH (UIDNEXT 5)\r\n",
                ("* 1 FETCH (UID 5 " + body + ")\r\n").replace("] {4}", "]{4}"))) { // no space before the literal
            assertThat(ListingFetch.read(response(raw))).as(raw).isNull();
        }
        assertThat(ListingFetch.read(response("* 1 FETCH (UID 5 " + body + ")\r\n"))).isNotNull();
    }

    @Test
    void readsDatesAsAngusDoes() throws ParseException {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            String s = randomDate(rnd);
            if (rnd.nextInt(10) == 0) {
                s = s.substring(0, 0) + String.format(Locale.ROOT, "%02d", 28 + rnd.nextInt(4)) + s.substring(2); // month ends
            }
            Instant ours = ListingFetch.date(s);
            Instant theirs;
            try {
                MailDateFormat f = new MailDateFormat();
                f.setLenient(false);
                theirs = f.parse(s).toInstant();
            } catch (ParseException | IllegalArgumentException e) {
                theirs = null;
            }
            if (ours != null) {
                assertThat(ours).as("seed %d: %s", seed, s).isEqualTo(new MailDateFormat().parse(s).toInstant());
            } else {
                assertThat(theirs).as("seed %d: %s is a day the month has", seed, s).isNull();
            }
        }
        assertThat(ListingFetch.date("17-Jul-1996 02:44:25 -0700")).isEqualTo(Instant.parse("1996-07-17T09:44:25Z"));
        assertThat(ListingFetch.date(" 7-Jul-1996 02:44:25 +0130")).isEqualTo(Instant.parse("1996-07-07T01:14:25Z"));
        assertThat(ListingFetch.date("29-Feb-2024 00:00:00 +0000")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(ListingFetch.date("29-Feb-2023 00:00:00 +0000")).isNull();
    }
}
