package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.imap.GmailLabels;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.testing.imap.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an account's configuration turns into on its IMAP source: the settings other parts of the
 * library offer (rate caps, client certificate, OAuth2 refresh, Gmail's label mode) reach the
 * source, and a broken one fails the account before anything connects.
 */
class AccountSourceWiringTest {

    @TempDir
    Path dir;

    private BackupConfig config(AccountConfig account) {
        return BackupConfig.builder().destination(dir.resolve("backup")).account(account).build();
    }

    private static AccountConfig.Builder account() {
        return AccountConfig.builder().name("alice").host("imap.example.org").user("alice")
                .credentials(Credentials.inline("secret".toCharArray()));
    }

    @Test
    void theGmailPresetStoresEachMessageOnceAndKeepsBelowGooglesDailyLimit() throws Exception {
        AccountConfig gmail = account().provider(Provider.GMAIL).host("imap.gmail.com").build();
        ImapSource source = AccountSessions.source(config(gmail), gmail);
        assertThat(source.gmailLabels()).isEqualTo(GmailLabels.STORE_ONCE);
        assertThat(source.maxBytesPerSecond()).isEqualTo(Provider.GMAIL.rateLimit().bytesPerSecond()).isPositive();

        AccountConfig copies = gmail.toBuilder().gmailLabelCopies(true).build();
        assertThat(AccountSessions.source(config(copies), copies).gmailLabels()).isEqualTo(GmailLabels.PER_LABEL_COPIES);
        AccountConfig plain = account().build();
        assertThat(AccountSessions.source(config(plain), plain).gmailLabels()).isEqualTo(GmailLabels.PER_LABEL_COPIES);
        assertThat(AccountSessions.source(config(plain), plain).maxBytesPerSecond()).isZero();
    }

    @Test
    void anAccountsRateCapsReachItsSource() throws Exception {
        AccountConfig capped = account().rateLimit(new RateLimit(64 * 1024, 2.5)).build();
        ImapSource source = AccountSessions.source(config(capped), capped);
        assertThat(source.maxBytesPerSecond()).isEqualTo(64 * 1024);
        assertThat(source.maxMessagesPerSecond()).isEqualTo(2.5);
    }

    @Test
    void aClientCertificateIsCheckedBeforeAnythingConnects() throws Exception {
        TestCertificates certs = TestCertificates.generate();
        AccountConfig pem = account().clientCertificate(
                ClientCertificateFiles.pem(certs.file("client.pem"), certs.file("client.key"))).build();
        assertThat(AccountSessions.source(config(pem), pem).clientCertificate()).isPresent();

        AccountConfig p12 = account().clientCertificate(ClientCertificateFiles.pkcs12(certs.file("client.p12"),
                Credentials.inline(TestCertificates.P12_PASSWORD.toCharArray()))).build();
        assertThat(AccountSessions.source(config(p12), p12).clientCertificate()).isPresent();

        AccountConfig wrong = account().clientCertificate(ClientCertificateFiles.pkcs12(certs.file("client.p12"),
                Credentials.inline("not-the-password".toCharArray()))).build();
        assertThatThrownBy(() -> AccountSessions.source(config(wrong), wrong))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("alice")
                .hasMessageContaining("client.p12").hasMessageNotContaining("not-the-password");
    }

    @Test
    void oauth2SettingsGiveTheSourceRefreshingTokens() throws Exception {
        Path refresh = Files.writeString(dir.resolve("refresh-token"), "a-refresh-token\n");
        AccountConfig oauth = account().credentials(Credentials.oauth2(URI.create("https://oauth2.googleapis.com/token"),
                "client-id", Credentials.passwordFile(refresh)).withCacheFile(dir.resolve("cache.json"))).build();
        ImapSource source = AccountSessions.source(config(oauth), oauth);
        assertThat(source.toString()).contains("XOAUTH2").doesNotContain("a-refresh-token");
    }
}
