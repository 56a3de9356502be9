package io.github.imapbackup.accounts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file an {@code OAuth2Refresher} keeps its access token in (with its expiry, and a rotated
 * refresh token): JSON, readable by the owner only (0600 on POSIX), replaced whole by a temporary
 * file in the same directory and an atomic move, so that a reader sees the old file or the new
 * one. A cache that others may read, that is damaged, or that belongs to another endpoint or
 * client is not used (a warning says why) and is replaced at the next write.
 */
public final class TokenCache {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /**
     * What the cache holds.
     *
     * @param accessToken the access token
     * @param expiresAt when it expires
     * @param refreshToken the refresh token that replaced the configured one, or null
     * @param replaces the {@link #fingerprint} of the configured refresh token it replaced, or null
     */
    public record Entry(String accessToken, Instant expiresAt, String refreshToken, String replaces) {
        @Override
        public String toString() {
            return "Entry[expiresAt=" + expiresAt + (refreshToken == null ? "" : ", rotated refresh token") + "]";
        }
    }

    private final Path file;
    private final String endpoint;
    private final String clientId;

    /**
     * A cache file for one endpoint and client.
     *
     * @param file the file
     * @param endpoint the token endpoint's URL, recorded and checked
     * @param clientId the client's id, recorded and checked
     */
    public TokenCache(Path file, String endpoint, String clientId) {
        this.file = file;
        this.endpoint = endpoint;
        this.clientId = clientId;
    }

    /** {@return the file} */
    public Path file() {
        return file;
    }

    /**
     * Reads the cache.
     *
     * @return what it holds, or null when there is no usable cache (a warning says why, except
     *     when there is no file)
     */
    public Entry read() {
        try {
            if (POSIX && !java.util.Collections.disjoint(Files.getPosixFilePermissions(file), OTHERS)) {
                LOG.warn("the OAuth2 token cache {} may be read or changed by other users: not used; it is"
                        + " replaced by one that only you can read", file);
                return null;
            }
            JsonNode json = JSON.readTree(Files.readAllBytes(file));
            if (json == null || !json.isObject() || !endpoint.equals(json.path("token_endpoint").asText())
                    || !clientId.equals(json.path("client_id").asText())) {
                LOG.warn("the OAuth2 token cache {} is not one of the endpoint {} and this client: not used;"
                        + " it is replaced (give each account its own --oauth2-token-cache)", file, endpoint);
                return null;
            }
            String token = json.path("access_token").asText("");
            Instant expires = Instant.parse(json.path("expires_at").asText(""));
            String refresh = json.hasNonNull("refresh_token") ? json.get("refresh_token").asText() : null;
            String replaces = json.hasNonNull("replaces") ? json.get("replaces").asText() : null;
            return token.isBlank() ? null : new Entry(token, expires, refresh, replaces);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("the OAuth2 token cache {} cannot be read ({}): not used; it is replaced", file,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * Replaces the cache with this entry, readable by the owner only.
     *
     * @param entry what to keep
     * @throws IOException if the file cannot be written (the directory is missing and cannot be
     *     made, the disk is full, ...); the old cache is then left as it was
     */
    public void write(Entry entry) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("token_endpoint", endpoint);
        json.put("client_id", clientId);
        json.put("access_token", entry.accessToken());
        json.put("expires_at", entry.expiresAt().toString());
        if (entry.refreshToken() != null) {
            json.put("refresh_token", entry.refreshToken());
            json.put("replaces", entry.replaces());
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, POSIX ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0]);
        }
        Path temp = POSIX ? Files.createTempFile(dir, ".oauth2-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".oauth2-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                out.write(bytes);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A short one-way fingerprint of a refresh token, to tell whether a rotated token in the cache
     * descends from the configured one (a user who signs in again gets a new configured token).
     *
     * @param refreshToken the token
     * @return 16 hex digits of its SHA-256
     */
    public static String fingerprint(String refreshToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
