package io.github.imapbackup.accounts;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.accounts.OAuth2Refresher.Secret;
import io.github.imapbackup.accounts.internal.TokenCache;
import io.github.imapbackup.accounts.internal.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an {@link OAuth2Refresher} does: the token in memory, the cache file, the endpoint, in that order. */
final class RefreshingTokens {

    private static final Logger LOG = LoggerFactory.getLogger(OAuth2Refresher.class);

    private final OAuth2Endpoint endpoint;
    private final String clientId;
    private final Secret clientSecret;
    private final Secret refreshToken;
    private final String scope;
    private final TokenCache cache;
    private final Clock clock;
    private final TokenRequest request;

    private String current;
    private Instant expiresAt = Instant.MIN;
    private String rotated;
    private String rotatedFrom;

    RefreshingTokens(OAuth2Endpoint endpoint, String clientId, Secret clientSecret, Secret refreshToken,
            String scope, TokenCache cache, Clock clock, TokenRequest request) {
        this.endpoint = endpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.scope = scope;
        this.cache = cache;
        this.clock = clock;
        this.request = request;
    }

    synchronized String accessToken() throws IOException {
        if (current != null && fresh(expiresAt)) {
            return current;
        }
        if (adoptCached(null)) {
            return current;
        }
        return fetch();
    }

    synchronized String refresh(String rejected) throws IOException {
        if (current != null && !current.equals(rejected) && fresh(expiresAt)) {
            return current;
        }
        if (adoptCached(rejected)) {
            return current;
        }
        LOG.debug("the server refused the access token of {}; asking for a new one", endpoint);
        return fetch();
    }

    private boolean fresh(Instant expiry) {
        return clock.instant().plus(OAuth2Refresher.MARGIN).isBefore(expiry);
    }

    /** Takes the cache's token when it is still fresh and not the rejected one; takes its rotated refresh token. */
    private boolean adoptCached(String rejected) {
        TokenCache.Entry e = cache == null ? null : cache.read();
        if (e == null) {
            return false;
        }
        if (e.refreshToken() != null && rotated == null) {
            rotated = e.refreshToken();
            rotatedFrom = e.replaces();
        }
        if (!fresh(e.expiresAt()) || e.accessToken().equals(rejected)) {
            return false;
        }
        current = e.accessToken();
        expiresAt = e.expiresAt();
        LOG.debug("using the cached access token of {} from {}", endpoint, cache.file());
        return true;
    }

    private String fetch() throws IOException {
        String configured = text(refreshToken, "refresh token");
        String from = TokenCache.fingerprint(configured);
        boolean useRotated = rotated != null && from.equals(rotatedFrom);
        String secret = clientSecret == null ? null : text(clientSecret, "client secret");
        TokenRequest.Answer answer;
        try {
            answer = request.refresh(clientId, secret, useRotated ? rotated : configured, scope);
        } catch (AuthenticationException e) {
            if (!useRotated) {
                throw e;
            }
            LOG.warn("the refresh token kept in {} was refused; trying the configured one", cache.file());
            rotated = null;
            useRotated = false;
            answer = request.refresh(clientId, secret, configured, scope);
        }
        current = answer.accessToken();
        expiresAt = clock.instant().plus(answer.expiresIn() != null ? answer.expiresIn() : OAuth2Refresher.ASSUMED_LIFETIME);
        String used = useRotated ? rotated : configured;
        if (answer.refreshToken() != null && !answer.refreshToken().equals(used)) {
            rotated = answer.refreshToken();
            rotatedFrom = from;
            if (cache == null) {
                LOG.warn("{} gave a new refresh token, kept in memory only: give a token cache file so that the"
                        + " next run has it", endpoint);
            }
        }
        if (cache != null) {
            try {
                cache.write(new TokenCache.Entry(current, expiresAt, rotated, rotated == null ? null : rotatedFrom));
            } catch (IOException e) {
                LOG.warn("the OAuth2 token cache {} cannot be written ({}): the next run asks {} again{}", cache.file(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), endpoint,
                        rotated == null ? "" : ", with the refresh token it was given before this run's new one");
            }
        }
        return current;
    }

    /** Reads a secret as text; the array is cleared. */
    private static String text(Secret source, String what) throws IOException {
        char[] chars = source.read();
        try {
            String s = chars == null ? "" : new String(chars).strip();
            if (s.isEmpty()) {
                throw new BackupException("the OAuth2 " + what + " is empty", null);
            }
            return s;
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    /** Reads the first line of a secret file. */
    static Secret firstLine(Path file, String what) {
        Objects.requireNonNull(file, "file");
        return () -> {
            try {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int end = content.indexOf('\n');
                return (end < 0 ? content : content.substring(0, end)).strip().toCharArray();
            } catch (NoSuchFileException e) {
                throw new BackupException("the OAuth2 " + what + " file " + file + " does not exist", null);
            } catch (IOException e) {
                throw new BackupException("the OAuth2 " + what + " file " + file + " cannot be read ("
                        + e.getClass().getSimpleName() + ")", null);
            }
        };
    }
}
