package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.Notification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a run's notification: a GET of a URL, with a timeout per request and a bounded number of
 * attempts with doubling pauses between them. It never throws: what went wrong is in the returned
 * {@link Notification}. Logs the URL's host only (its path and query may hold a token).
 */
public final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /** Waits between attempts (tests pass one that does not wait). */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Waits.
         *
         * @param pause how long
         * @throws InterruptedException if interrupted
         */
        void sleep(Duration pause) throws InterruptedException;

        /** The real one. */
        Sleeper SYSTEM = pause -> Thread.sleep(pause.toMillis());
    }

    private final HttpClient client;
    private final Duration timeout;
    private final int attempts;
    private final Duration firstPause;
    private final Sleeper sleeper;

    /**
     * Creates a notifier.
     *
     * @param timeout the time allowed for one request (connecting and answering)
     * @param attempts how many requests at most, at least 1
     * @param firstPause the pause after the first failed attempt; each following one doubles
     * @param sleeper waits between attempts
     */
    public Notifier(Duration timeout, int attempts, Duration firstPause, Sleeper sleeper) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts " + attempts + ": at least 1");
        }
        this.attempts = attempts;
        this.firstPause = Objects.requireNonNull(firstPause, "firstPause");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Sends a GET to the URL until it answers with success or the attempts are spent.
     *
     * @param kind {@code success} or {@code failure}
     * @param url the URL
     * @return what became of it
     */
    public Notification send(String kind, URI url) {
        String host = url.getHost() != null ? url.getHost() : "(no host)";
        String problem = null;
        Duration pause = firstPause;
        int made = 0;
        while (made < attempts) {
            made++;
            problem = attempt(url);
            if (problem == null) {
                LOG.debug("{} notification to {} delivered (attempt {})", kind, host, made);
                return new Notification(kind, host, made, null);
            }
            LOG.debug("{} notification to {}: attempt {} of {} failed: {}", kind, host, made, attempts, problem);
            if (made < attempts && retryable(problem)) {
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problem = problem + "; interrupted before the next attempt";
                    break;
                }
                pause = pause.multipliedBy(2);
            } else {
                break;
            }
        }
        Notification n = new Notification(kind, host, made, problem);
        LOG.warn("The {} (the backup itself is not affected)", n.describe());
        return n;
    }

    /** Returns null when delivered, else why not. */
    private String attempt(URI url) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url).timeout(timeout).GET()
                    .header("User-Agent", "imapbackup").build();
        } catch (IllegalArgumentException e) {
            return "not an http or https URL";
        }
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return code >= 200 && code < 300 ? null : "HTTP " + code;
        } catch (HttpTimeoutException e) {
            return "no answer within " + timeout.toSeconds() + " s";
        } catch (IOException e) {
            return "cannot reach " + url.getHost() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() != null && !e.getMessage().contains(url.toString()) ? " " + e.getMessage() : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Whether another attempt may help: not after an answer that says the URL itself is wrong. */
    private static boolean retryable(String problem) {
        if (problem.startsWith("HTTP 4")) {
            return problem.equals("HTTP 408") || problem.equals("HTTP 429");
        }
        return !problem.equals("not an http or https URL") && !problem.equals("interrupted");
    }
}
