package io.github.imapbackup.imap;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;

/**
 * The response codes of a server's {@code NO} or {@code BAD} (RFC 5530) as the source reads them:
 * what each means for the user, and whether it speaks of the server or the account rather than
 * of one message, so that the folder stops at once instead of failing message after message
 * (docs/ARCHITECTURE.md, "Refusals of the source").
 */
final class ResponseCodes {

    /** A tagged NO or BAD, its tag left out, with a response code. */
    private static final Pattern REFUSAL = Pattern.compile("^(?:\\S+ )?(?:NO|BAD) \\[([A-Za-z-]{1,40})[] ]",
            Pattern.CASE_INSENSITIVE);
    /** A tag before the status of a line. */
    private static final Pattern TAGGED = Pattern.compile("^[A-Za-z0-9.+]{1,20} (?=(NO|BAD|BYE) )");

    /** What the codes that need words mean. */
    private static final Map<String, String> MEANING = Map.of(
            "SERVERBUG", "the server reports an internal error of its own (its log says more); run again later,"
                    + " and tell its administrator if it persists",
            "EXPUNGEISSUED", "another client expunged messages of this folder meanwhile; the next run copies"
                    + " what is still there",
            "OVERQUOTA", "the account is over its quota: free space or have the quota raised, then run again",
            "CONTACTADMIN", "the server asks the user to contact its administrator",
            "NOPERM", "the account may not do this here (an access control list refuses it)",
            "PRIVACYREQUIRED", "the server wants an encrypted connection (use --security tls or starttls)");

    /** Codes that speak of the server or the account: the next message would fare no better. */
    private static final java.util.Set<String> ACCOUNT_WIDE = java.util.Set.of("SERVERBUG", "OVERQUOTA",
            "CONTACTADMIN", "NOPERM", "PRIVACYREQUIRED");

    private ResponseCodes() { }

    /** {@return the response code of the server's refusal in a failure's causes, upper case; empty if none} */
    static Optional<String> of(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProtocolException p && p.getResponse() != null) {
                Response r = p.getResponse();
                return r.isSynthetic() ? Optional.empty() : code(r.toString());
            }
        }
        return Optional.empty();
    }

    /** {@return the response code of a NO or BAD line, upper case; empty if none} */
    static Optional<String> code(String line) {
        Matcher m = REFUSAL.matcher(line == null ? "" : line);
        return m.find() ? Optional.of(m.group(1).toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    /** {@return whether a failure is a refusal that speaks of the server or the account, not of a message} */
    static boolean accountWide(Throwable e) {
        return of(e).filter(ACCOUNT_WIDE::contains).isPresent();
    }

    /** {@return whether a NO or BAD line speaks of the server or the account, not of a message} */
    static boolean accountWide(String line) {
        return code(line).filter(ACCOUNT_WIDE::contains).isPresent();
    }

    /** {@return what the code of a NO or BAD line means, as {@code " (meaning)"}; "" when it needs no words} */
    static String meaning(String line) {
        return code(line).map(MEANING::get).map(m -> " (" + m + ")").orElse("");
    }

    /**
     * {@return "WHAT failed: the server's words (what its code means)": the server's words without
     * the command's tag, which means nothing to a user}
     */
    static String failed(String what, Throwable e) {
        String words = TAGGED.matcher(Errors.text(e)).replaceFirst("");
        return what + " failed: " + words + of(e).map(MEANING::get).map(m -> " (" + m + ")").orElse("");
    }
}
