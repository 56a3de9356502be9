package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An administrator migrating another account: SASL PLAIN with an authorisation identity
 * ({@code --authuser1/2}) against Dovecot's master users; the session acts as the user named,
 * not as the administrator.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotMasterUserIT {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "Adm1n-s3cret";
    static final Path MASTERS = masters();

    @RegisterExtension
    static final Dovecot SERVER = Dovecot.builder().user("alice", "Al1ce-s3cret").user("bob", "B0b-s3cret")
            .config("passdb {", "  driver = passwd-file", "  args = scheme=PLAIN username_format=%u " + MASTERS,
                    "  master = yes", "  pass = yes", "}")
            .build();

    private static Path masters() {
        try {
            Path dir = Files.createTempDirectory("masters");
            Path file = dir.resolve("master-passwd");
            Files.writeString(file, ADMIN + ":{PLAIN}" + ADMIN_PASSWORD + "\n");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImapSource.Builder admin() {
        return ImapSource.builder().host(SERVER.host()).port(SERVER.port()).security(Security.NONE).user(ADMIN)
                .password(ADMIN_PASSWORD::toCharArray).timeout(Duration.ofSeconds(30));
    }

    @Test
    void theAdministratorsLoginActsAsTheUserNamed() throws Exception {
        try (ImapTestClient c = SERVER.login("alice")) {
            c.createFolder("Only-Alice");
            c.append("Only-Alice", Interop.ascii("Message-ID: <a@master>\r\n\r\na\r\n"), Set.of(),
                    Instant.parse("2021-01-01T00:00:00Z"));
        }
        ImapSource asAlice = admin().authorizationId("alice").build();
        assertThat(asAlice.describe()).contains("admin@").contains("(as alice)").doesNotContain(ADMIN_PASSWORD);
        try (SourceConnection c = asAlice.connect()) {
            assertThat(c.folders()).extracting(FolderInfo::name).contains("Only-Alice");
        }
        try (SourceConnection c = admin().authorizationId("bob").build().connect()) {
            assertThat(c.folders()).extracting(FolderInfo::name).doesNotContain("Only-Alice");
        }
        assertThatThrownBy(() -> admin().password("wrong"::toCharArray).authorizationId("alice").build().connect())
                .isInstanceOf(AuthenticationException.class).hasMessageNotContaining(ADMIN_PASSWORD);
    }

    @Test
    void anAuthorisationIdentityGoesWithPlainOnly() {
        assertThatThrownBy(() -> admin().authorizationId("alice").authMechanisms("LOGIN").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PLAIN");
        assertThatThrownBy(() -> ImapSource.builder().host("h").user("u").oauth2Token(() -> "t")
                .authorizationId("alice").build()).isInstanceOf(IllegalStateException.class);
    }
}
