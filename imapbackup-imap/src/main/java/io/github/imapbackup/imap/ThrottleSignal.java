package io.github.imapbackup.imap;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;

/**
 * Recognises a server's "slow down": a {@code NO}, {@code BAD} or {@code BYE} with a throttling
 * response code or a provider's throttling words (docs/ARCHITECTURE.md, "Throttling").
 */
final class ThrottleSignal {

    /**
     * RFC 5530's {@code UNAVAILABLE} (temporary failure), {@code INUSE} (something else holds the
     * mailbox), {@code LIMIT} (a limit was hit), and {@code THROTTLED} (Gmail and others).
     */
    private static final Pattern CODE = Pattern.compile("\\[(THROTTLED|LIMIT|UNAVAILABLE|INUSE)[] ]",
            Pattern.CASE_INSENSITIVE);

    /**
     * Providers' words, lower case. Gmail: "Too many simultaneous connections" (its help page on the
     * connection limit, support.google.com/mail/answer/97150), "Account exceeded command or
     * bandwidth limits" and "Temporary System Error" (with [ALERT] or [UNAVAILABLE]). Microsoft
     * Exchange Online: "Server Unavailable. 15" (answers to SELECT and STATUS, as reported in
     * thunderbird/thunderbird-android#3574 and OfflineIMAP/offlineimap#291), "User is authenticated
     * but not connected" (a BAD to SELECT), "Request is throttled. Suggested Backoff Time: N
     * milliseconds" (NO or BAD, often followed by BYE; imapsync's Office 365 FAQ,
     * ikvk/imap_tools#135).
     */
    private static final List<String> WORDS = List.of(
            "too many simultaneous connections",
            "account exceeded command or bandwidth limits",
            "temporary system error",
            "server unavailable.",
            "user is authenticated but not connected",
            "request is throttled");

    private static final Pattern SUGGESTED = Pattern.compile(
            "suggested backoff time:\\s*(\\d{1,9})\\s*milliseconds", Pattern.CASE_INSENSITIVE);

    private ThrottleSignal() { }

    /** {@return whether a server's text says "slow down"} */
    static boolean says(String text) {
        if (text == null) {
            return false;
        }
        if (CODE.matcher(text).find()) {
            return true;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return WORDS.stream().anyMatch(lower::contains);
    }

    /** {@return whether a response is a NO, BAD or BYE from the server that says "slow down"} */
    static boolean of(Response r) {
        return r != null && !r.isSynthetic() && (r.isNO() || r.isBAD() || r.isBYE()) && says(r.toString());
    }

    /**
     * {@return the server's throttling words in a failure's causes, as a printable excerpt; empty
     * when the failure is no throttling answer}
     */
    static Optional<String> of(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProtocolException p && p.getResponse() != null) {
                Response r = p.getResponse();
                if (of(r)) {
                    String line = r.toString();
                    String tag = r.getTag();
                    return Optional.of(Errors.excerpt(tag != null && line.startsWith(tag + " ")
                            ? line.substring(tag.length() + 1) : line));
                }
                if (r.isSynthetic()) {
                    return Optional.empty(); // a broken connection, whatever its message says
                }
            }
            if (says(c.getMessage())) {
                return Optional.of(Errors.excerpt(c.getMessage().strip()));
            }
        }
        return Optional.empty();
    }

    /** {@return the delay the server suggests ({@code Suggested Backoff Time: N milliseconds}), if any} */
    static Optional<Duration> suggested(String text) {
        Matcher m = SUGGESTED.matcher(text);
        return m.find() ? Optional.of(Duration.ofMillis(Long.parseLong(m.group(1)))) : Optional.empty();
    }
}
