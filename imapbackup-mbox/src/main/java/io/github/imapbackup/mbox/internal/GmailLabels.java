package io.github.imapbackup.mbox.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code X-Gmail-Labels} header of a Google Takeout mbox (docs/FORMAT-mbox.md, "Google Takeout
 * labels"): its labels, the flags they carry, and the folders Gmail's IMAP shows them in.
 */
public final class GmailLabels {

    /** The header field's name, lowercase. */
    public static final String FIELD = "x-gmail-labels";
    /** The folder of a message without a label that names a folder. */
    public static final String ALL_MAIL = "[Gmail]/All Mail";
    /** Gmail's hierarchy delimiter. */
    public static final String DELIMITER = "/";

    /** Gmail's own labels that are folders in its IMAP, with their special-use attribute. */
    private static final Map<String, Folder> SYSTEM = Map.of(
            "Inbox", new Folder("INBOX", Set.of()),
            "Sent", new Folder("[Gmail]/Sent Mail", Set.of("\\Sent")),
            "Drafts", new Folder("[Gmail]/Drafts", Set.of("\\Drafts")),
            "Spam", new Folder("[Gmail]/Spam", Set.of("\\Junk")),
            "Trash", new Folder("[Gmail]/Trash", Set.of("\\Trash")),
            "Starred", new Folder("[Gmail]/Starred", Set.of("\\Flagged")),
            "Important", new Folder("[Gmail]/Important", Set.of("\\Important")),
            "Chat", new Folder("[Gmail]/Chats", Set.of()));
    /** Labels that are states, not folders: read state, archived, and the inbox categories. */
    private static final Set<String> NO_FOLDER = Set.of("Opened", "Unread", "Archived");
    private static final Pattern ENCODED = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");

    /**
     * A folder as Gmail's IMAP shows a label.
     *
     * @param name the folder name (delimiter {@code /})
     * @param specialUse its special-use attribute, if any
     */
    public record Folder(String name, Set<String> specialUse) {

        /**
         * Copies.
         *
         * @param name the folder name
         * @param specialUse its special-use attribute, if any
         */
        public Folder {
            specialUse = Set.copyOf(specialUse);
        }
    }

    private GmailLabels() { }

    /**
     * Splits the value of the header into labels: comma-separated, a label with a comma in double
     * quotes ({@code ""} for a quote), encoded words (RFC 2047) and raw UTF-8 decoded.
     *
     * @param value the unfolded value, its bytes as ISO-8859-1 chars (as {@link HeaderFields} gives it)
     * @return the labels, in order, without empty ones
     */
    public static List<String> parse(String value) {
        String text = decode(value);
        List<String> out = new ArrayList<>();
        StringBuilder label = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    label.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                add(out, label);
            } else {
                label.append(c);
            }
        }
        add(out, label);
        return out;
    }

    private static void add(List<String> out, StringBuilder label) {
        String l = label.toString().strip();
        if (!l.isEmpty()) {
            out.add(l);
        }
        label.setLength(0);
    }

    /**
     * The flags the labels carry: {@code \Seen} unless {@code Unread}, {@code \Flagged} for
     * {@code Starred}, {@code \Draft} for {@code Drafts}.
     *
     * @param labels the labels
     * @return the flags
     */
    public static Set<String> flags(List<String> labels) {
        Set<String> flags = new java.util.LinkedHashSet<>();
        if (!labels.contains("Unread")) {
            flags.add("\\Seen");
        }
        if (labels.contains("Starred")) {
            flags.add("\\Flagged");
        }
        if (labels.contains("Drafts")) {
            flags.add("\\Draft");
        }
        return flags;
    }

    /**
     * The folders the labels name, once each: Gmail's own labels as its IMAP names them, a user
     * label as itself ({@code /} separates levels); {@code Opened}, {@code Unread}, {@code Archived}
     * and the categories ({@code Category Social}, ...) name none. With no folder named, the
     * message is in {@link #ALL_MAIL}.
     *
     * @param labels the labels
     * @return the folders, at least one
     */
    public static List<Folder> folders(List<String> labels) {
        Map<String, Folder> out = new LinkedHashMap<>();
        for (String l : labels) {
            Folder f = SYSTEM.get(l);
            if (f == null && l.equalsIgnoreCase("INBOX")) {
                f = SYSTEM.get("Inbox");
            }
            if (f == null && !NO_FOLDER.contains(l) && !l.startsWith("Category ")) {
                f = new Folder(l, Set.of());
            }
            if (f != null) {
                out.putIfAbsent(f.name(), f);
            }
        }
        if (out.isEmpty()) {
            out.put(ALL_MAIL, new Folder(ALL_MAIL, Set.of("\\All")));
        }
        return List.copyOf(out.values());
    }

    /**
     * The folders that labels recorded from Gmail's IMAP ({@code X-GM-LABELS}, docs/FORMAT-index.md)
     * name, once each: a system label ({@code \\Inbox}, {@code \\Sent}, {@code \\Draft},
     * {@code \\Important}, {@code \\Starred}, {@code \\Spam}, {@code \\Trash}) as Gmail's IMAP
     * names its folder, a user label as itself; other system labels name none.
     *
     * @param labels the recorded labels
     * @return the folders, empty when no label names one
     */
    public static List<Folder> imapFolders(Iterable<String> labels) {
        Map<String, Folder> out = new LinkedHashMap<>();
        for (String l : labels) {
            Folder f;
            if (l.startsWith("\\")) {
                String system = l.substring(1);
                f = SYSTEM.get(system.equalsIgnoreCase("Draft") ? "Drafts" : IMAP_SYSTEM.getOrDefault(
                        system.toLowerCase(java.util.Locale.ROOT), ""));
            } else {
                f = new Folder(l, Set.of());
            }
            if (f != null) {
                out.putIfAbsent(f.name(), f);
            }
        }
        return List.copyOf(out.values());
    }

    /** Gmail's IMAP system labels, lower case without the backslash, to their Takeout names. */
    private static final Map<String, String> IMAP_SYSTEM = Map.of("inbox", "Inbox", "sent", "Sent",
            "drafts", "Drafts", "important", "Important", "starred", "Starred", "spam", "Spam", "trash", "Trash");

    /** Decodes encoded words, then the raw bytes as UTF-8 when they are valid UTF-8. */
    private static String decode(String value) {
        String raw = utf8(value);
        if (!raw.contains("=?")) {
            return raw;
        }
        StringBuilder sb = new StringBuilder();
        Matcher m = ENCODED.matcher(raw);
        int last = 0;
        while (m.find()) {
            String between = raw.substring(last, m.start());
            if (last == 0 || !between.isBlank()) {
                sb.append(between); // white space between two encoded words is dropped
            }
            sb.append(word(m.group(1), m.group(2), m.group(3), m.group()));
            last = m.end();
        }
        return sb.append(raw.substring(last)).toString();
    }

    private static String word(String charset, String encoding, String text, String whole) {
        try {
            byte[] bytes;
            if (encoding.equalsIgnoreCase("B")) {
                bytes = Base64.getMimeDecoder().decode(text);
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '_') {
                        out.write(' ');
                    } else if (c == '=' && i + 2 < text.length()) {
                        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        out.write(c);
                    }
                }
                bytes = out.toByteArray();
            }
            int star = charset.indexOf('*'); // RFC 2231 language suffix
            return new String(bytes, Charset.forName(star < 0 ? charset : charset.substring(0, star)));
        } catch (IllegalArgumentException e) {
            return whole; // an unknown charset or a broken word stays as it is
        }
    }

    /** The ISO-8859-1 chars of raw bytes, read as UTF-8 when they are valid UTF-8. */
    private static String utf8(String latin1) {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return latin1;
        }
    }
}
