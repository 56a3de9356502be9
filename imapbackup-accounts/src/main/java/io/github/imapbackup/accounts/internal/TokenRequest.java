package io.github.imapbackup.accounts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh at an OAuth 2.0 token endpoint (RFC 6749 §6): a form POST of
 * {@code grant_type=refresh_token}, the JSON answer read, 5xx answers and timeouts retried with
 * doubling pauses a bounded number of times. Messages name the endpoint, never a secret.
 */
public final class TokenRequest {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRequest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most of an answer read: a token answer is a few kilobytes. */
    private static final int MAX_ANSWER = 1 << 20;

    /** Waits between attempts; tests pass one that does not. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Waits.
         *
         * @param pause how long
         * @throws InterruptedException if interrupted
         */
        void sleep(Duration pause) throws InterruptedException;
    }

    /**
     * What the endpoint gave.
     *
     * @param accessToken the access token
     * @param expiresIn its lifetime, or null when the endpoint did not say
     * @param refreshToken a new refresh token that replaces the old one, or null
     */
    public record Answer(String accessToken, Duration expiresIn, String refreshToken) {
        @Override
        public String toString() {
            return "Answer[expiresIn=" + expiresIn + (refreshToken == null ? "" : ", new refresh token") + "]";
        }
    }

    private final URI endpoint;
    private final Duration timeout;
    private final int retries;
    private final Duration firstPause;
    private final Sleeper sleeper;
    private final HttpClient http;

    /**
     * A request maker for one endpoint.
     *
     * @param endpoint the token endpoint
     * @param timeout for connecting and for the whole answer
     * @param retries how many times a 5xx answer, a timeout or a failed connection is tried again
     * @param firstPause the pause before the first retry; doubled before each next one
     * @param sleeper waits the pauses
     */
    public TokenRequest(URI endpoint, Duration timeout, int retries, Duration firstPause, Sleeper sleeper) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.retries = retries;
        this.firstPause = firstPause;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Exchanges a refresh token for an access token.
     *
     * @param clientId the client's id
     * @param clientSecret the client's secret, or null for a public client
     * @param refreshToken the refresh token
     * @param scope the scope to ask for, or null
     * @return the answer
     * @throws AuthenticationException when the endpoint refuses the grant or the client (4xx)
     * @throws ConnectionException when it cannot be reached, or fails, after the retries
     * @throws BackupException when its answer is not a token answer
     * @throws InterruptedIOException when interrupted
     */
    public Answer refresh(String clientId, String clientSecret, String refreshToken, String scope) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        if (scope != null) {
            form.put("scope", scope);
        }
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        Duration pause = firstPause;
        for (int attempt = 0; ; attempt++) {
            String failure;
            HttpResponse<byte[]> response = null;
            try {
                LOG.debug("asking {} for an access token", endpoint);
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                failure = "it answered HTTP " + response.statusCode();
            } catch (HttpTimeoutException e) {
                failure = "it did not answer within " + timeout.toSeconds() + " s";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while asking " + endpoint + " for an access token");
            } catch (IOException e) {
                failure = "it cannot be reached (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage()) + ")";
            }
            if (response != null && response.statusCode() < 500) {
                return answer(response.statusCode(), response.body(), refreshToken, clientSecret);
            }
            if (attempt >= retries) {
                throw new ConnectionException("the OAuth2 token endpoint " + endpoint + " gave no access token: "
                        + failure + (retries > 0 ? ", " + (retries + 1) + " times" : "")
                        + "; check the URL and the network, or try again later", null);
            }
            LOG.warn("the OAuth2 token endpoint {} gave no access token: {}; trying again in {} s", endpoint,
                    failure, pause.toSeconds());
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to ask " + endpoint + " again");
            }
            pause = pause.multipliedBy(2);
        }
    }

    private Answer answer(int status, byte[] bytes, String... secrets) throws BackupException {
        JsonNode json;
        try {
            json = bytes.length > MAX_ANSWER ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            json = null;
        }
        if (status != 200) {
            throw refused(status, json, secrets);
        }
        if (json == null || !json.isObject()) {
            throw new BackupException("the OAuth2 token endpoint " + endpoint + " answered HTTP 200 with something"
                    + " that is not JSON (" + bytes.length + " bytes): is this the token endpoint's URL?", null);
        }
        JsonNode token = json.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            json.fieldNames().forEachRemaining(names::add);
            throw new BackupException("the OAuth2 token endpoint " + endpoint + " answered without an access_token"
                    + " (it gave: " + printable(String.join(", ", names), secrets) + ")", null);
        }
        JsonNode type = json.get("token_type");
        if (type != null && !type.asText().equalsIgnoreCase("bearer")) {
            throw new BackupException("the OAuth2 token endpoint " + endpoint + " gave a token of type \""
                    + printable(type.asText(), secrets) + "\", not Bearer: XOAUTH2 needs a Bearer token", null);
        }
        JsonNode expires = json.get("expires_in");
        Duration expiresIn = expires != null && expires.canConvertToLong() && expires.asLong() > 0
                ? Duration.ofSeconds(expires.asLong())
                : expires != null && expires.isTextual() && expires.asText().matches("\\d{1,9}")
                        ? Duration.ofSeconds(Long.parseLong(expires.asText())) : null;
        JsonNode rotated = json.get("refresh_token");
        String refresh = rotated != null && rotated.isTextual() && !rotated.asText().isBlank() ? rotated.asText() : null;
        return new Answer(token.asText(), expiresIn, refresh);
    }

    private AuthenticationException refused(int status, JsonNode json, String... secrets) {
        String error = json != null && json.hasNonNull("error") ? printable(json.get("error").asText(), secrets) : null;
        String description = json != null && json.hasNonNull("error_description")
                ? printable(json.get("error_description").asText(), secrets) : null;
        String what = error == null ? "HTTP " + status : error + (description == null ? "" : ": " + description);
        String todo = switch (error == null ? "" : error) {
            case "invalid_grant" -> "the refresh token expired or was revoked (or belongs to another client):"
                    + " sign in again to get a new one (docs/CLI.md, \"OAuth2\")";
            case "invalid_client", "unauthorized_client" -> "check the client id and the client secret";
            case "invalid_scope" -> "the scope asked for was not granted with the refresh token: ask for"
                    + " another scope, or sign in again granting it";
            default -> "check the endpoint, the client id and the refresh token";
        };
        return new AuthenticationException("the OAuth2 token endpoint " + endpoint + " refused the refresh ("
                + what + "): " + todo, null);
    }

    private static final Pattern PERCENT = Pattern.compile("%[0-9A-F]{2}");

    /**
     * A server's words, shortened and without control characters or the secrets sent to it: as they
     * are, or as the request carried them (URL-encoded), which an endpoint may quote back.
     */
    private static String printable(String text, String... secrets) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20");
                String lowerHex = PERCENT.matcher(encoded).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
                for (String form : List.of(secret, encoded, encoded.replace("%20", "+"), lowerHex)) {
                    t = t.replace(form, "***");
                }
            }
        }
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
