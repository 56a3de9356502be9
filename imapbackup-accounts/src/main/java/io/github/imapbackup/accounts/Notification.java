package io.github.imapbackup.accounts;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of the notification a run sends when it ends: the success URL after a run with no
 * error, the failure URL otherwise (see {@code docs/CONFIG.md}). A notification that could not be
 * delivered is a warning, never a failed backup.
 *
 * @param kind {@code success} or {@code failure}: which URL was called
 * @param host the URL's host, all of the URL that is safe to show (its path and query may hold a
 *     token, as the check UUID of a healthchecks.io URL)
 * @param attempts how many requests were made, at least 1
 * @param problem why it was not delivered, or null when it was (an answer in 200–299)
 */
public record Notification(String kind, String host, int attempts, String problem) {

    /**
     * Validates.
     *
     * @param kind which URL
     * @param host the URL's host
     * @param attempts how many requests
     * @param problem why it failed, or null
     */
    public Notification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts " + attempts + ": at least 1");
        }
    }

    /**
     * Returns whether the URL answered with success.
     *
     * @return true when delivered
     */
    public boolean delivered() {
        return problem == null;
    }

    /**
     * Returns why the notification was not delivered.
     *
     * @return the problem, or empty when delivered
     */
    public Optional<String> failure() {
        return Optional.ofNullable(problem);
    }

    /**
     * Returns the notification in words, as the command line prints it.
     *
     * @return such as {@code success notification to hc-ping.com: sent} or
     *     {@code ...: not delivered after 3 attempts (HTTP 503)}
     */
    public String describe() {
        return kind + " notification to " + host + ": " + (delivered() ? "sent"
                : "not delivered after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " (" + problem + ")");
    }
}
