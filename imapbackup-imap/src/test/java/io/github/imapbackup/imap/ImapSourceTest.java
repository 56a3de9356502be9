package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ImapSourceTest {

    private static final String SECRET = "hunter2-very-secret";

    private static ImapSource.Builder base() {
        return ImapSource.builder().host("imap.example.org").user("alice")
                .password(SECRET::toCharArray);
    }

    @Test
    void portDefaultsFromSecurity() {
        assertThat(base().build().port()).isEqualTo(993);
        assertThat(base().security(Security.STARTTLS).build().port()).isEqualTo(143);
        assertThat(base().security(Security.NONE).build().port()).isEqualTo(143);
        assertThat(base().port(1993).build().port()).isEqualTo(1993);
    }

    @Test
    void describeNamesSchemeUserHostAndPortButNoSecret() {
        assertThat(base().build().describe()).isEqualTo("imaps://alice@imap.example.org:993");
        assertThat(base().security(Security.NONE).build().describe())
                .isEqualTo("imap://alice@imap.example.org:143");
        assertThat(base().security(Security.STARTTLS).build().describe())
                .isEqualTo("imap://alice@imap.example.org:143 (STARTTLS)");
        assertThat(base().host("::1").build().describe()).isEqualTo("imaps://alice@[::1]:993");
        ImapSource s = base().build();
        assertThat(s.toString()).doesNotContain(SECRET).contains("imaps://alice@");
        ImapSource oauth = ImapSource.builder().host("h").user("u").oauth2Token(() -> SECRET)
                .build();
        assertThat(oauth.toString()).doesNotContain(SECRET).contains("XOAUTH2");
        assertThat(oauth.describe()).doesNotContain(SECRET);
    }

    @Test
    void defaultsAreBoundedAndSecure() {
        ImapSource s = base().build();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.fetchSize()).isEqualTo(1 << 20);
        assertThat(s.metadataBatch()).isEqualTo(2000);
        assertThat(s.insecure()).isFalse();
        assertThat(s.security()).isEqualTo(Security.TLS);
    }

    @Test
    void buildRejectsIncompleteOrContradictorySettings() {
        assertThatThrownBy(() -> ImapSource.builder().user("u").password(SECRET::toCharArray)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> ImapSource.builder().host("h").password(SECRET::toCharArray)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> ImapSource.builder().host("h").user("u").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> base().oauth2Token(() -> "t").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> base().authMechanisms("XOAUTH2").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> base().security(Security.NONE).insecure(true).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settersRejectBadValues() {
        assertThatThrownBy(() -> base().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().fetchSize(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().metadataBatch(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().authMechanisms("GSSAPI"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GSSAPI");
        assertThatThrownBy(() -> base().host(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilderMakesAnEqualVariation() {
        ImapSource s = base().port(1143).security(Security.STARTTLS).fetchSize(65536).build();
        ImapSource t = s.toBuilder().build();
        assertThat(t.describe()).isEqualTo(s.describe());
        assertThat(t.fetchSize()).isEqualTo(65536);
        assertThat(s.toBuilder().port(0).build().port()).isEqualTo(143);
    }

    @Test
    void uidSetsAreCompressedIntoRanges() {
        assertThat(Messages.uidSet(new long[] {1, 2, 3, 5, 7, 8, 10})).isEqualTo("1:3,5,7:8,10");
        assertThat(Messages.uidSet(new long[] {4294967295L})).isEqualTo("4294967295");
        assertThat(Messages.uidSet(new long[0])).isEmpty();
    }
}
