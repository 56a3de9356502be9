package io.github.imapbackup.examples.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Generates the demo's sample account in code (nothing big is committed): nested folders, a
 * non-ASCII folder name, a few hundred messages with the identity cases that matter (folded,
 * doubled, missing and commented Message-IDs, a message held twice, two messages sharing a
 * Message-ID), body lines starting with {@code From }, CRLF and LF bodies, flags and keywords, and
 * a 5 MB attachment. Deterministic for a seed.
 */
public final class SampleAccount {

    /** The hierarchy delimiter of the names (GreenMail's). */
    public static final char DELIMITER = '.';

    /** The folders, parents before children. */
    public static final List<String> FOLDERS = List.of("INBOX", "Sent", "Entwürfe", "Bills & Receipts",
            "Archive", "Archive.2019", "Archive.2019.Q3");

    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] PEOPLE = {"alice@example.org", "bob@example.net", "carol@example.com",
        "dave@demo.example", "erin@mail.example", "frank@example.org"};
    private static final String[] WORDS = ("backup mailbox folder message server archive mbox quarterly "
            + "report invoice meeting agenda draft review budget travel lunch project release "
            + "Grüße Überweisung Straße naïve café").split(" ");

    private final Random random;
    private final List<SampleMessage> messages = new ArrayList<>();
    private final int attachmentBytes;
    private final int ordinary;
    private Instant clock = Instant.parse("2019-01-07T08:00:00Z");
    private int serial;

    private SampleAccount(long seed, int attachmentBytes, int ordinary) {
        this.random = new Random(seed);
        this.attachmentBytes = attachmentBytes;
        this.ordinary = ordinary;
    }

    /**
     * Generates the standard sample: about 300 messages, a 5 MB attachment.
     *
     * @param seed the seed
     * @return the messages, in the order to append them
     */
    public static List<SampleMessage> generate(long seed) {
        return generate(seed, 5 * 1024 * 1024);
    }

    /**
     * Generates the sample with an attachment of the given encoded size.
     *
     * @param seed the seed
     * @param attachmentBytes the size of the big message's base64 attachment
     * @return the messages, in the order to append them
     */
    public static List<SampleMessage> generate(long seed, int attachmentBytes) {
        return generate(seed, attachmentBytes, STANDARD_ORDINARY);
    }

    /**
     * Generates a sample of a chosen size: the special cases, the big message and about
     * {@code ordinary} ordinary messages spread over the folders (at least one per folder).
     *
     * @param seed the seed
     * @param attachmentBytes the size of the big message's base64 attachment
     * @param ordinary how many ordinary messages
     * @return the messages, in the order to append them
     */
    public static List<SampleMessage> generate(long seed, int attachmentBytes, int ordinary) {
        SampleAccount a = new SampleAccount(seed, attachmentBytes, ordinary);
        a.build();
        return List.copyOf(a.messages);
    }

    /** How many ordinary messages the standard sample has. */
    public static final int STANDARD_ORDINARY = 252;

    private void build() {
        int[] counts = {110, 40, 5, 12, 30, 30, 25};
        for (int f = 0; f < FOLDERS.size(); f++) {
            int n = Math.max(1, (int) Math.round((double) counts[f] * ordinary / STANDARD_ORDINARY));
            for (int i = 0; i < n; i++) {
                ordinary(FOLDERS.get(f));
            }
        }
        identityCases();
        bodyCases();
        big();
    }

    private void ordinary(String folder) {
        String from = pick(PEOPLE);
        String to = pick(PEOPLE);
        String subject = capitalize(words(3 + random.nextInt(5)));
        StringBuilder body = new StringBuilder();
        int paragraphs = 1 + random.nextInt(4);
        for (int p = 0; p < paragraphs; p++) {
            body.append(wrap(capitalize(words(20 + random.nextInt(60))) + ".")).append("\r\n");
        }
        body.append("-- \r\n").append(from, 0, from.indexOf('@')).append("\r\n");
        String header = headers(from, to, subject, "<" + (++serial) + "." + Long.toHexString(random.nextLong())
                + "@demo.example>", "text/plain; charset=UTF-8", "8bit");
        add(folder, header + "\r\n" + body, randomFlags(), null);
    }

    private void identityCases() {
        add("INBOX", "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: Folded Message-ID\r\n"
                + "Date: " + date() + "\r\nMessage-ID:\r\n <folded.1@demo.example>\r\n\r\nThe Message-ID field is folded.\r\n",
                Set.of("\\Seen"), "folded Message-ID");
        add("INBOX", "From: bob@example.net\r\nTo: alice@example.org\r\nSubject: Two Message-ID fields\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <first.2@demo.example>\r\nMessage-ID: <second.2@demo.example>\r\n"
                + "\r\nThe first Message-ID field wins.\r\n", Set.of(), "two Message-ID fields");
        add("INBOX", "From: carol@example.com\r\nTo: alice@example.org\r\nSubject: No Message-ID at all\r\n"
                + "Date: " + date() + "\r\n\r\nThis message gets a synthetic identity.\r\n", Set.of("\\Seen"), "no Message-ID");
        add("INBOX", "From: dave@demo.example\r\nTo: alice@example.org\r\nSubject: Comments in the Message-ID\r\n"
                + "Date: " + date() + "\r\nMessage-ID: (a comment) <commented.4@demo.example> (another one)\r\n"
                + "\r\nComments and white space are removed.\r\n", Set.of(), "comments in Message-ID");
        String twice = "From: erin@mail.example\r\nTo: alice@example.org\r\nSubject: Held twice in this folder\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <twice.5@demo.example>\r\n\r\nThe server holds this message under two UIDs;"
                + " the backup keeps two copies, and never a third.\r\n";
        add("INBOX", twice, Set.of("\\Seen"), "held twice (copy 1)");
        add("INBOX", twice, Set.of("\\Seen"), "held twice (copy 2)");
        String shared = "Message-ID: <shared.6@demo.example>\r\nDate: " + date() + "\r\n";
        add("INBOX", "From: frank@example.org\r\nTo: alice@example.org\r\nSubject: Same Message-ID, first text\r\n"
                + shared + "\r\nTwo different messages share one Message-ID; both are kept.\r\n", Set.of(),
                "shares its Message-ID (1)");
        add("INBOX", "From: frank@example.org\r\nTo: alice@example.org\r\nSubject: Same Message-ID, second text\r\n"
                + shared + "\r\nThis is the other one, with other bytes.\r\n", Set.of(), "shares its Message-ID (2)");
    }

    private void bodyCases() {
        add("INBOX", "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: Lines starting with From\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <from-lines.7@demo.example>\r\n\r\n"
                + "From the start of a line, mbox must quote:\r\nFrom here on\r\n>From a quoted line\r\n"
                + ">>From a doubly quoted line\r\n From with a space before\r\nFrom\r\n", Set.of("\\Seen", "\\Answered"),
                "body lines starting with From");
        add("INBOX", "From: bob@example.net\r\nTo: alice@example.org\r\nSubject: LF-only body\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <lf-body.8@demo.example>\r\n\r\n"
                + "This body uses bare LF line ends.\nSecond line.\nFrom a line in an LF body.\n", Set.of("\\Flagged"),
                "LF line ends");
        add("INBOX", "From: carol@example.com\r\nTo: alice@example.org\r\nSubject: No final line end\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <no-eol.9@demo.example>\r\n\r\n"
                + "This message does not end with a line end.", Set.of("\\Seen", "$Important"), "no final line end");
        add("Sent", "From: alice@example.org\r\nTo: dave@demo.example\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <utf8.10@demo.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Viele Grüße aus der Straße, naïve café.\r\n", Set.of("\\Seen", "project-x"), "8-bit UTF-8 body");
    }

    private void big() {
        String boundary = "=_demo_boundary_" + Long.toHexString(random.nextLong());
        ByteArrayOutputStream out = new ByteArrayOutputStream(attachmentBytes + 4096);
        String head = "From: bob@example.net\r\nTo: alice@example.org\r\nSubject: Holiday photos (5 MB)\r\n"
                + "Date: " + date() + "\r\nMessage-ID: <big.11@demo.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThe photos are attached.\r\n"
                + "--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"photos.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"photos.bin\"\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        int lineChars = 76;
        int lines = Math.max(1, attachmentBytes / (lineChars + 2));
        byte[] raw = new byte[lineChars / 4 * 3];
        Base64.Encoder enc = Base64.getEncoder();
        for (int i = 0; i < lines; i++) {
            random.nextBytes(raw);
            out.writeBytes(enc.encode(raw));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        add("Archive", out.toByteArray(), Set.of("\\Seen", "\\Flagged"), "5 MB attachment");
    }

    private String headers(String from, String to, String subject, String messageId, String contentType,
            String encoding) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: " + date()
                + "\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType
                + "\r\nContent-Transfer-Encoding: " + encoding + "\r\n";
    }

    private Set<String> randomFlags() {
        int r = random.nextInt(10);
        return switch (r) {
            case 0 -> Set.of();
            case 1 -> Set.of("\\Seen", "\\Flagged");
            case 2 -> Set.of("\\Seen", "\\Answered");
            case 3 -> Set.of("\\Seen", "$Important");
            default -> Set.of("\\Seen");
        };
    }

    private String date() {
        clock = clock.plus(Duration.ofMinutes(30 + random.nextInt(60 * 24 * 5)));
        return RFC5322.format(clock);
    }

    private void add(String folder, String text, Set<String> flags, String note) {
        add(folder, text.getBytes(StandardCharsets.UTF_8), flags, note);
    }

    private void add(String folder, byte[] bytes, Set<String> flags, String note) {
        messages.add(new SampleMessage(folder, bytes, flags, clock.plusSeconds(random.nextInt(600)), note));
    }

    private String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(pick(WORDS));
        }
        return sb.toString();
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String wrap(String text) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String w : text.split(" ")) {
            if (col > 0 && col + 1 + w.length() > 72) {
                sb.append("\r\n");
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(w);
            col += w.length();
        }
        return sb.append("\r\n").toString();
    }
}
