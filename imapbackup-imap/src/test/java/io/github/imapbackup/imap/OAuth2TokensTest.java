package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OAuth2TokensTest {

    private static final AtomicInteger FETCHED = new AtomicInteger();

    private static String fetchToken() throws IOException {
        return "token-" + FETCHED.incrementAndGet();
    }

    /** The snippet of {@link OAuth2Tokens}, kept compiling. */
    static ImapSource snippet() {
        OAuth2Tokens tokens = new OAuth2Tokens() {
            private String current;

            public synchronized String accessToken() throws IOException {
                if (current == null) {
                    current = fetchToken();             // your call to the token endpoint
                }
                return current;
            }

            public synchronized String refresh(String rejected) throws IOException {
                if (rejected.equals(current)) {         // one request, however many connections ask
                    current = fetchToken();
                }
                return current;
            }
        };
        ImapSource source = ImapSource.builder()
                .host("imap.gmail.com").user("alice@gmail.com")
                .oauth2(tokens)
                .build();
        return source;
    }

    @Test
    void theSnippetBuildsAnXoauth2Source() throws IOException {
        ImapSource source = snippet();
        assertThat(source.toString()).contains("XOAUTH2");
        String first = source.oauth2().accessToken();
        assertThat(source.oauth2().accessToken()).isEqualTo(first);
        String second = source.oauth2().refresh(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(source.oauth2().refresh(first)).as("a second connection refused the old token").isEqualTo(second);
    }

    @Test
    void aSuppliedTokenIsAskedAgainOnRefresh() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        OAuth2Tokens tokens = OAuth2Tokens.of(() -> "t" + calls.incrementAndGet());
        assertThat(tokens.accessToken()).isEqualTo("t1");
        assertThat(tokens.refresh("t1")).isEqualTo("t2");
        assertThat(tokens.toString()).doesNotContain("t1", "t2");
    }

    @Test
    void oauth2TokenIsTheSameAsASuppliedToken() throws IOException {
        ImapSource source = ImapSource.builder().host("h").user("u").oauth2Token(() -> "fixed").build();
        assertThat(source.oauth2().accessToken()).isEqualTo("fixed");
        assertThat(source.toBuilder().build().oauth2()).isSameAs(source.oauth2());
    }

    @Test
    void aTokenAndAPasswordTogetherAreRefused() {
        assertThatThrownBy(() -> ImapSource.builder().host("h").user("u").password("p"::toCharArray)
                .oauth2(OAuth2Tokens.of(() -> "t")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    }

    @Test
    void aTargetsTokensReplaceTheAccountsPassword() {
        ImapSource account = ImapSource.builder().host("h").user("u").password("p"::toCharArray)
                .authMechanisms("PLAIN").build();
        OAuth2Tokens tokens = OAuth2Tokens.of(() -> "t");
        ImapSource replaced = account.withOAuth2(tokens);
        assertThat(replaced.oauth2()).isSameAs(tokens);
        assertThat(replaced.password()).isNull();
        assertThat(replaced.authMechanisms()).isEmpty();
        assertThatThrownBy(() -> ImapTarget.builder(ImapSource.builder().host("h").user("admin")
                .password("p"::toCharArray).authorizationId("alice").build()).oauth2(tokens))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("authorisation identity");
    }
}
