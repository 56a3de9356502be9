package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.Layout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupConfigTest {

    private static AccountConfig.Builder alice() {
        return AccountConfig.builder().email("alice@example.org").host("imap.example.org")
                .credentials(Credentials.environment("ALICE_PW"));
    }

    @Test
    void theDefaultsAreTheOriginalScriptsAndTheLibrarys() {
        BackupConfig c = BackupConfig.builder().destination(Path.of("/backup")).account(alice().build()).build();
        assertThat(c.totalConnections()).isEqualTo(4);
        assertThat(c.connectionsPerAccount()).isEqualTo(2);
        assertThat(c.connectionsPerHost()).isZero();
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.metadataBatch()).isEqualTo(2000);
        assertThat(c.fetchSize()).isEqualTo(1 << 20);
        assertThat(c.compress()).isEqualTo("none");
        assertThat(c.layout()).isEmpty();
        assertThat(c.rateLimit()).isEqualTo(RateLimit.NONE);
        assertThat(c.notifications()).isEqualTo(Notifications.NONE);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.file()).isEmpty();
    }

    @Test
    void anAccountTakesItsNameUserAndDirectoryFromItsAddress() {
        AccountConfig a = alice().build();
        assertThat(a.name()).isEqualTo("alice@example.org");
        assertThat(a.user()).isEqualTo("alice@example.org");
        assertThat(a.directory()).isEqualTo("alice@example.org");
        assertThat(a.security()).isEqualTo(Security.TLS);
        assertThat(a.port()).isEqualTo(993);
        assertThat(a.provider()).isEqualTo(Provider.NONE);
        AccountConfig b = AccountConfig.builder().user("bob").host("mail.example.org").security(Security.STARTTLS)
                .credentials(Credentials.environment("BOB_PW")).build();
        assertThat(b.name()).isEqualTo("bob@mail.example.org");
        assertThat(b.directory()).isEqualTo("bob@mail.example.org");
        assertThat(b.port()).isEqualTo(143);
        assertThat(b.email()).isEmpty();
    }

    @Test
    void aPresetFillsInWhatTheAccountLeavesOutAndTheAccountWins() {
        AccountConfig g = AccountConfig.builder().provider(Provider.GMAIL).email("a@gmail.com")
                .credentials(Credentials.environment("PW")).build();
        assertThat(g.host()).isEqualTo("imap.gmail.com");
        assertThat(g.port()).isEqualTo(993);
        BackupConfig c = BackupConfig.builder().destination(Path.of("d")).account(g).build();
        assertThat(c.rateLimitFor(g)).isEqualTo(new RateLimit(23_000, 0));
        AccountConfig own = g.toBuilder().host("imap.googlemail.com").port(1993).rateLimit(new RateLimit(0, 2))
                .build();
        assertThat(own.host()).isEqualTo("imap.googlemail.com");
        assertThat(own.port()).isEqualTo(1993);
        assertThat(c.rateLimitFor(own)).isEqualTo(new RateLimit(0, 2));
        // no provider named: the server's
        assertThat(AccountConfig.builder().host("Outlook.Office365.com").user("u")
                .credentials(Credentials.environment("PW")).build().provider()).isEqualTo(Provider.OFFICE365);
    }

    @Test
    void theCapsCombineIntoTheStricter() {
        AccountConfig g = AccountConfig.builder().provider(Provider.GMAIL).email("a@gmail.com")
                .credentials(Credentials.environment("PW")).build();
        BackupConfig c = BackupConfig.builder().destination(Path.of("d")).rateLimit(new RateLimit(10_000, 3))
                .account(g).build();
        assertThat(c.rateLimitFor(g)).isEqualTo(new RateLimit(10_000, 3));
        assertThat(c.toBuilder().rateLimit(new RateLimit(50_000, 0)).build().rateLimitFor(g))
                .isEqualTo(new RateLimit(23_000, 0));
    }

    @Test
    void connectionsStayWithinTheLimits() {
        AccountConfig one = alice().connections(1).build();
        AccountConfig many = alice().name("many").directory("many").connections(8).build();
        AccountConfig plain = alice().name("plain").directory("plain").build();
        BackupConfig c = BackupConfig.builder().destination(Path.of("d")).totalConnections(6)
                .accounts(List.of(one, many, plain)).build();
        assertThat(c.connectionsFor(one)).isEqualTo(1);
        assertThat(c.connectionsFor(many)).isEqualTo(6);
        assertThat(c.connectionsFor(plain)).isEqualTo(2);
        assertThat(c.toBuilder().connectionsPerHost(3).build().connectionsFor(many)).isEqualTo(3);
    }

    @Test
    void foldersToIgnoreAddUp() {
        AccountConfig o = AccountConfig.builder().provider(Provider.OFFICE365).email("j@example.com")
                .credentials(Credentials.environment("PW")).ignoreFolders(List.of(FolderRule.regex("Junk.*")))
                .build();
        BackupConfig c = BackupConfig.builder().destination(Path.of("d"))
                .ignoreFolders(List.of(FolderRule.name("Trash"))).account(o).build();
        List<FolderRule> rules = c.ignoreFoldersFor(o);
        assertThat(rules).contains(FolderRule.name("Trash"), FolderRule.name("Calendar"),
                FolderRule.name("Sync Issues"), FolderRule.regex("Junk.*"));
        assertThat(rules.stream().anyMatch(r -> r.matches("Sync Issues/Conflicts", "/"))).isTrue();
        assertThat(rules.stream().anyMatch(r -> r.matches("Calendar.Birthdays", "."))).isTrue();
        assertThat(rules.stream().anyMatch(r -> r.matches("Junk E-mail", "/"))).isTrue();
        assertThat(rules.stream().anyMatch(r -> r.matches("Calendars", "/"))).isFalse();
        assertThat(rules.stream().anyMatch(r -> r.matches("Archive/Calendar", "/"))).isFalse();
        assertThat(rules.stream().anyMatch(r -> r.matches("INBOX", "/"))).isFalse();
        assertThat(FolderRule.name("Inbox").matches("INBOX/Sub", "/")).isTrue();
        // as one expression, before the delimiter is known
        assertThat(FolderRule.name("Sync Issues").pattern().matcher("Sync Issues/Conflicts").matches()).isTrue();
        assertThat(FolderRule.name("Sync Issues").pattern().matcher("Sync Issues.x").matches()).isTrue();
        assertThat(FolderRule.name("Sync Issues").pattern().matcher("Sync IssuesX").matches()).isFalse();
        assertThat(FolderRule.name("a+b").pattern().matcher("a+b").matches()).isTrue();
        assertThat(FolderRule.name("inbox").pattern().matcher("INBOX/x").matches()).isTrue();
        assertThat(FolderRule.regex("Junk.*").pattern().matcher("Junk E-mail").matches()).isTrue();
    }

    @Test
    void toBuilderGivesAnEqualConfiguration() {
        BackupConfig c = BackupConfig.builder().destination(Path.of("/b")).compress("gz").layout(Layout.FLAT)
                .totalConnections(8).connectionsPerAccount(3).connectionsPerHost(5)
                .ignoreFolders(List.of(FolderRule.name("Trash"))).timeout(Duration.ofSeconds(30)).metadataBatch(100)
                .fetchSize(65536).rateLimit(new RateLimit(1000, 1.5)).account(alice().build()).build();
        assertThat(c.compress()).isEqualTo("gzip");
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.accounts().get(0).toBuilder().build()).isEqualTo(c.accounts().get(0));
    }

    @Test
    void mistakesInCodeAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> BackupConfig.builder().build()).hasMessageContaining("destination");
        assertThatThrownBy(() -> BackupConfig.builder().destination(Path.of("d")).account(alice().build())
                .account(alice().build()).build()).hasMessageContaining("two accounts are named alice@example.org");
        assertThatThrownBy(() -> BackupConfig.builder().compress("rar")).hasMessageContaining("rar");
        assertThatThrownBy(() -> AccountConfig.builder().user("u").credentials(Credentials.environment("X")).build())
                .hasMessageContaining("a host or a provider is required");
        assertThatThrownBy(() -> AccountConfig.builder().host("h").credentials(Credentials.environment("X")).build())
                .hasMessageContaining("a user");
        assertThatThrownBy(() -> AccountConfig.builder().host("h").user("u").build())
                .hasMessageContaining("credentials are required");
        assertThatThrownBy(() -> alice().security(Security.NONE).insecure(true).build())
                .hasMessageContaining("security none");
        assertThatThrownBy(() -> alice().directory("../x")).hasMessageContaining("one name inside");
        assertThatThrownBy(() -> alice().port(70000)).hasMessageContaining("1 to 65535");
    }

    @Test
    void noSecretInAnyText() {
        AccountConfig a = alice().credentials(Credentials.inline("s3cret-pw".toCharArray())).build();
        BackupConfig c = BackupConfig.builder().destination(Path.of("d")).account(a).build();
        assertThat(a.toString()).doesNotContain("s3cret-pw").contains("alice@example.org");
        assertThat(a.credentials().toString()).doesNotContain("s3cret-pw");
        assertThat(c.toString()).doesNotContain("s3cret-pw");
        assertThat(Credentials.command(List.of("echo", "s3cret-pw")).toString()).doesNotContain("s3cret-pw");
    }
}
