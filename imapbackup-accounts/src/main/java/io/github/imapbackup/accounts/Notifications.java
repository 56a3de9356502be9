package io.github.imapbackup.accounts;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where to report the outcome of a run, as the healthcheck services expect: a {@code GET} of the
 * success URL after a run with no error, of the failure URL otherwise, each within a timeout and
 * retried a few times; a notification never blocks or fails the backup itself.
 *
 * <pre>{@code
 * Notifications notify = new Notifications(URI.create("https://hc-ping.com/uuid"),
 *         URI.create("https://hc-ping.com/uuid/fail"), Duration.ofSeconds(10), 3);
 * }</pre>
 *
 * @param success the URL to GET after a run without error, or null
 * @param failure the URL to GET after a run with an error, or null
 * @param timeout how long one attempt may take
 * @param retries how many more attempts after a failed one, 0 to 10
 */
public record Notifications(URI success, URI failure, Duration timeout, int retries) {

    /** The timeout of one attempt when none is given: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The retries when none are given: 3. */
    public static final int DEFAULT_RETRIES = 3;
    /** No notification. */
    public static final Notifications NONE = new Notifications(null, null, DEFAULT_TIMEOUT, DEFAULT_RETRIES);

    /**
     * Notifications.
     *
     * @param success the URL to GET after a run without error, or null
     * @param failure the URL to GET after a run with an error, or null
     * @param timeout how long one attempt may take, from 1 ms to 1 hour
     * @param retries how many more attempts after a failed one, 0 to 10
     * @throws IllegalArgumentException if a URL is not an absolute http or https URL, or a
     *     number is out of range
     */
    public Notifications {
        checkUrl(success, "success");
        checkUrl(failure, "failure");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the notification timeout must be from 1 ms to 1 hour: " + timeout);
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("notification retries must be from 0 to 10: " + retries);
        }
    }

    private static void checkUrl(URI url, String which) {
        if (url == null) {
            return;
        }
        String scheme = url.getScheme();
        if (!url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("the " + which + " URL must be an absolute http or https URL"
                    + " with a host: " + url);
        }
    }

    /** {@return the URL to GET after a run without error} */
    public Optional<URI> successUrl() {
        return Optional.ofNullable(success);
    }

    /** {@return the URL to GET after a run with an error} */
    public Optional<URI> failureUrl() {
        return Optional.ofNullable(failure);
    }

    /**
     * {@return a copy with another success URL}
     *
     * @param url the URL, or null for none
     */
    public Notifications withSuccess(URI url) {
        return new Notifications(url, failure, timeout, retries);
    }

    /**
     * {@return a copy with another failure URL}
     *
     * @param url the URL, or null for none
     */
    public Notifications withFailure(URI url) {
        return new Notifications(success, url, timeout, retries);
    }
}
