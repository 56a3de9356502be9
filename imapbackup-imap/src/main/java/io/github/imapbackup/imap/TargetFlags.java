package io.github.imapbackup.imap;

import jakarta.mail.Flags;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a selected target folder stores of a message's flags: its PERMANENTFLAGS decide (keywords
 * only when {@code \*} is offered or the keyword is listed); {@code \Recent} is never sent, nor a
 * keyword that is no IMAP atom. Also formats INTERNALDATE for APPEND.
 */
final class TargetFlags {

    private static final DateTimeFormatter INTERNALDATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final Flags permanent;

    /** @param permanent the folder's PERMANENTFLAGS (Angus parses {@code \*} as {@link Flags.Flag#USER}) */
    TargetFlags(Flags permanent) {
        this.permanent = permanent == null ? new Flags() : permanent;
    }

    /** {@return the flags and keywords of {@code wanted} this folder keeps, system flags spelled as in RFC 3501} */
    Set<String> filter(Set<String> wanted) {
        Set<String> kept = new LinkedHashSet<>();
        for (String flag : wanted) {
            Flags.Flag system = system(flag);
            if (system != null) {
                if (permanent.contains(system)) {
                    kept.add(spelling(system));
                }
            } else if (atom(flag) && (listed(flag) || !flag.startsWith("\\") && permanent.contains(Flags.Flag.USER))) {
                kept.add(flag);
            }
        }
        return kept;
    }

    /** {@return whether PERMANENTFLAGS offer {@code \*}: keywords beyond those listed may be created} */
    boolean wildcard() {
        return permanent.contains(Flags.Flag.USER);
    }

    /** {@return the flag list for APPEND, e.g. {@code (\Seen $Label1)}} */
    static String list(Set<String> flags) {
        return "(" + String.join(" ", flags) + ")";
    }

    /** {@return INTERNALDATE as APPEND takes it, in UTC: {@code 21-Nov-2026 23:39:50 +0000}} */
    static String date(Instant instant) {
        return INTERNALDATE.format(instant);
    }

    /** {@return whether PERMANENTFLAGS list this flag or keyword by name} */
    boolean listed(String flag) {
        for (String user : permanent.getUserFlags()) {
            if (user.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    /** The five system flags a message can carry; {@code \Recent} (session state) is not one. */
    private static Flags.Flag system(String flag) {
        return switch (flag.toLowerCase(Locale.ROOT)) {
            case "\\seen" -> Flags.Flag.SEEN;
            case "\\answered" -> Flags.Flag.ANSWERED;
            case "\\flagged" -> Flags.Flag.FLAGGED;
            case "\\deleted" -> Flags.Flag.DELETED;
            case "\\draft" -> Flags.Flag.DRAFT;
            default -> null;
        };
    }

    private static String spelling(Flags.Flag flag) {
        if (flag == Flags.Flag.SEEN) {
            return "\\Seen";
        } else if (flag == Flags.Flag.ANSWERED) {
            return "\\Answered";
        } else if (flag == Flags.Flag.FLAGGED) {
            return "\\Flagged";
        } else if (flag == Flags.Flag.DELETED) {
            return "\\Deleted";
        }
        return "\\Draft";
    }

    /**
     * Whether a keyword can be sent as a flag: an IMAP atom (RFC 3501: no control characters,
     * space, {@code ( ) { % * " ]} or non-ASCII), with at most a leading backslash.
     */
    private static boolean atom(String flag) {
        String body = flag.startsWith("\\") ? flag.substring(1) : flag;
        if (body.isEmpty()) {
            return false;
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"]\\".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
