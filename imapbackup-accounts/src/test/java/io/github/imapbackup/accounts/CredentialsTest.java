package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading a secret from each source, and the clear errors when it cannot be read; never the secret in a message. */
@Timeout(60)
class CredentialsTest {

    @TempDir
    Path dir;

    @Test
    void aFileGivesItsFirstLine() throws Exception {
        Path f = ConfigFiles.secret(dir, "pw", "pässword 1\r\nsecond line\n");
        assertThat(Credentials.passwordFile(f).read()).containsExactly("pässword 1".toCharArray());
        Path token = ConfigFiles.secret(dir, "token", "ya29.token");
        Credentials.SecretSource t = Credentials.oauth2TokenFile(token);
        assertThat(t.read()).containsExactly("ya29.token".toCharArray());
        assertThat(t.isAccessToken()).isTrue();
        assertThat(Credentials.passwordFile(f).isAccessToken()).isFalse();
    }

    @Test
    void aFileThatCannotGiveASecretSaysWhy() throws Exception {
        assertThatThrownBy(() -> Credentials.passwordFile(dir.resolve("nope")).read())
                .isInstanceOf(CredentialsException.class)
                .hasMessage("the password file " + dir.resolve("nope") + " does not exist (give a file whose first line"
                        + " is the secret)");
        assertThatThrownBy(() -> Credentials.passwordFile(dir).read()).hasMessageContaining("is a directory");
        Path empty = ConfigFiles.secret(dir, "empty", "\nsecret on the second line\n");
        assertThatThrownBy(() -> Credentials.passwordFile(empty).read()).hasMessageContaining("its first line is empty")
                .hasMessageNotContaining("second line");
    }

    @Test
    void anEnvironmentVariableGivesItsValue() throws Exception {
        assertThat(new String(Credentials.environment("PATH").read())).isEqualTo(System.getenv("PATH"));
        assertThatThrownBy(() -> Credentials.environment("IMAPBACKUP_TEST_SURELY_NOT_SET_42").read())
                .isInstanceOf(CredentialsException.class).hasMessageContaining("no environment variable of the name")
                .hasMessageNotContaining("IMAPBACKUP_TEST_SURELY");
        assertThatThrownBy(() -> Credentials.environment("my password")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("my password");
    }

    @Test
    void aCommandGivesTheFirstLineOfItsOutput() throws Exception {
        Credentials.SecretSource c = Credentials.command(List.of("sh", "-c", "printf 'from-command\\nuser: x\\n'"));
        assertThat(c.read()).containsExactly("from-command".toCharArray());
        assertThat(c.toString()).isEqualTo("command sh");
    }

    @Test
    void aFailingCommandSaysSoWithoutItsOutput() {
        assertThatThrownBy(() -> Credentials.command(List.of("sh", "-c", "echo leaked-secret; exit 3")).read())
                .isInstanceOf(CredentialsException.class)
                .hasMessage("the password command sh failed with exit status 3 (its output is not shown)");
        assertThatThrownBy(() -> Credentials.command(List.of("sh", "-c", "echo; echo leaked-secret")).read())
                .hasMessage("the password command sh printed nothing on the first line of its output");
        assertThatThrownBy(() -> Credentials.command(List.of("true")).read())
                .hasMessageContaining("printed nothing");
        assertThatThrownBy(() -> Credentials.command(List.of(dir.resolve("no-such-program").toString())).read())
                .hasMessageContaining("cannot be started (is it installed and on the PATH?)");
    }

    @Test
    void aCommandThatHangsIsStopped() throws Exception {
        Path marker = dir.resolve("still-running");
        Credentials.SecretSource slow = new Credentials.Command(List.of("sh", "-c", "sleep 30; touch " + marker),
                Duration.ofMillis(300));
        assertThatThrownBy(slow::read).isInstanceOf(CredentialsException.class)
                .hasMessage("the password command sh did not finish within 300 ms (it was stopped); does it wait for"
                        + " input?");
        assertThat(marker).doesNotExist();
        // a command waiting for input gets none
        assertThatThrownBy(() -> Credentials.command(List.of("cat")).read()).hasMessageContaining("printed nothing");
    }

    @Test
    void anInlinePasswordIsACopyAndNeverShown() throws Exception {
        char[] given = "inline-pw".toCharArray();
        Credentials.SecretSource s = Credentials.inline(given);
        given[0] = 'X';
        char[] read = s.read();
        assertThat(read).containsExactly("inline-pw".toCharArray());
        read[1] = 'Y';
        assertThat(s.read()).containsExactly("inline-pw".toCharArray());
        assertThat(s).hasToString("password in the configuration (hidden)").isEqualTo(Credentials.inline(
                "inline-pw".toCharArray())).isNotEqualTo(Credentials.inline("other".toCharArray()));
    }

    @Test
    void oauth2NeedsAnHttpsEndpoint() throws Exception {
        Credentials.SecretSource rt = Credentials.passwordFile(dir.resolve("rt"));
        assertThatThrownBy(() -> Credentials.oauth2(java.net.URI.create("http://login.example.com/token"), "c", rt))
                .hasMessageContaining("must be an https URL");
        assertThat(Credentials.oauth2(java.net.URI.create("http://127.0.0.1:8080/token"), "c", rt).clientId())
                .isEqualTo("c");
        Credentials.OAuth2 o = Credentials.oauth2(Provider.GMAIL.tokenEndpoint().orElseThrow(), "client", rt)
                .withClientSecret(Credentials.environment("CLIENT_SECRET")).withScope("s").withCacheFile(dir);
        assertThat(o.toString()).contains("client").contains("environment variable CLIENT_SECRET");
        assertThat(Files.exists(dir)).isTrue();
    }
}
