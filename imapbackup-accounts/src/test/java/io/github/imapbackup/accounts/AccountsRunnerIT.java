package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.testing.http.PingServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against a real server (GreenMail): every account into its own directory, a wrong
 * password failing its account alone with status 3, and the notification URL of the test's own
 * HTTP server called exactly once, the success URL after a clean run and the failure URL otherwise.
 */
@Timeout(120)
class AccountsRunnerIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path tmp;

    private PingServer http;

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("alice", "bob", "carol")) {
            GreenMailUser user = greenMail.setUser(name + "@example.org", name, name + "-pw");
            for (int i = 0; i < 3; i++) {
                byte[] m = ("From: " + name + "@example.org\r\nMessage-ID: <" + name + i + "@example.org>\r\n"
                        + "Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
                user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m)));
            }
        }
        http = PingServer.start();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private AccountConfig account(String name, String password) {
        return AccountConfig.builder().email(name + "@example.org").host("127.0.0.1")
                .port(greenMail.getImap().getPort()).security(Security.NONE).user(name)
                .credentials(Credentials.inline(password.toCharArray())).build();
    }

    private BackupConfig config(AccountConfig... accounts) {
        return BackupConfig.builder().destination(tmp.resolve("mail")).timeout(Duration.ofSeconds(20))
                .totalConnections(3).connectionsPerAccount(2)
                .notifications(new Notifications(http.url("/ping/uuid-1"), http.url("/ping/uuid-1/fail"),
                        Duration.ofSeconds(10), 2))
                .accounts(List.of(accounts)).build();
    }

    @Test
    void aCleanRunBacksUpEachAccountIntoItsDirectoryAndCallsTheSuccessUrlOnce() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        AccountsListener listener = new AccountsListener() {
            @Override
            public void accountStarted(String name, Path directory) {
                events.add("started " + name);
            }

            @Override
            public void accountFinished(AccountResult result) {
                events.add("finished " + result.name() + " " + result.totals().messagesCopied());
            }

            @Override
            public void runFinished(AccountsResult result) {
                events.add("run " + result.exitStatus() + " " + result.notification().map(Notification::describe).orElse("-"));
            }
        };
        AccountsResult r = AccountsRunner.builder().config(config(account("alice", "alice-pw"), account("bob", "bob-pw")))
                .listener(listener).build().run();
        assertThat(r.exitStatus()).as(r.accounts().toString()).isZero();
        assertThat(r.totals().messagesCopied()).isEqualTo(6);
        assertThat(tmp.resolve("mail/alice@example.org/INBOX.mbox")).isRegularFile();
        assertThat(tmp.resolve("mail/bob@example.org/INBOX.mbox")).isRegularFile();
        assertThat(http.requests()).containsExactly("GET /ping/uuid-1");
        assertThat(r.notification()).hasValueSatisfying(n -> assertThat(n.delivered()).isTrue());
        assertThat(events).contains("started alice@example.org", "finished alice@example.org 3",
                "finished bob@example.org 3", "run 0 success notification to 127.0.0.1: sent");
        assertThat(events.get(events.size() - 1)).startsWith("run ");

        AccountsResult again = AccountsRunner.builder().config(config(account("alice", "alice-pw"))).build().run();
        assertThat(again.totals().messagesCopied()).as("nothing twice").isZero();
        assertThat(again.totals().messagesSkipped()).isEqualTo(3);
    }

    @Test
    void aWrongPasswordFailsItsAccountAloneAndCallsTheFailureUrlOnly() throws Exception {
        AccountsResult r = AccountsRunner.builder().config(config(account("alice", "alice-pw"),
                account("bob", "not-bobs-password"), account("carol", "carol-pw"))).build().run();
        assertThat(r.accounts()).extracting(AccountResult::exitStatus).containsExactly(0, 3, 0);
        assertThat(r.exitStatus()).isEqualTo(3);
        assertThat(r.accounts().get(1).failure()).hasValueSatisfying(f -> assertThat(f)
                .startsWith("authentication refused: 127.0.0.1:").doesNotContain("not-bobs-password"));
        assertThat(r.accounts().get(2).totals().messagesCopied()).isEqualTo(3);
        assertThat(http.requests()).containsExactly("GET /ping/uuid-1/fail");
    }

    @Test
    void aDryRunWritesNothingAndNotifiesNobody() throws Exception {
        AccountsResult r = AccountsRunner.builder().config(config(account("alice", "alice-pw"))).dryRun(true)
                .build().run();
        assertThat(r.exitStatus()).isZero();
        assertThat(r.totals().messagesCopied()).isEqualTo(3);
        assertThat(tmp.resolve("mail")).doesNotExist();
        assertThat(http.requests()).isEmpty();
        assertThat(r.notification()).isEmpty();
    }

    @Test
    void theSelectionAndTheShardsChooseAccountsByName() {
        BackupConfig c = config(account("alice", "a"), account("bob", "b"), account("carol", "c"));
        assertThat(AccountsRunner.builder().config(c).accounts(List.of("bob@example.org")).build().accounts())
                .extracting(AccountConfig::name).containsExactly("bob@example.org");
        assertThatThrownBy(() -> AccountsRunner.builder().config(c).accounts(List.of("dave")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no account named \"dave\"")
                .hasMessageContaining("alice@example.org, bob@example.org, carol@example.org");
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 2; k++) {
            for (AccountConfig a : AccountsRunner.builder().config(c).shard(new Shard(k, 2)).build().accounts()) {
                all.add(a.name());
                seen.add(a.name());
            }
        }
        assertThat(all).hasSize(3);
        assertThat(seen).containsExactlyInAnyOrder("alice@example.org", "bob@example.org", "carol@example.org");
        assertThat(Files.exists(tmp.resolve("mail"))).isFalse();
    }

    @Test
    void cancelStopsTheRunningAccountAndStartsNoOtherAndNotifiesNobody() throws Exception {
        AccountsRunner[] runner = new AccountsRunner[1];
        AccountsListener cancelAtFirstStart = new AccountsListener() {
            @Override
            public void accountStarted(String name, Path directory) {
                runner[0].cancel(); // Ctrl-C as the first account starts
            }
        };
        runner[0] = AccountsRunner.builder().config(config(account("alice", "alice-pw"), account("bob", "bob-pw"),
                account("carol", "carol-pw")).toBuilder().totalConnections(1).build())
                .listener(cancelAtFirstStart).build();
        AccountsResult r = runner[0].run();
        assertThat(r.accounts()).extracting(AccountResult::exitStatus).containsExactly(1, 1, 1);
        assertThat(r.accounts().get(1).failure()).contains("not started: the run was cancelled");
        assertThat(r.accounts().get(2).failure()).contains("not started: the run was cancelled");
        assertThat(r.notification()).isEmpty();
        assertThat(http.requests()).isEmpty();
        assertThat(r.totals().messagesCopied()).isLessThanOrEqualTo(3);
    }
}
