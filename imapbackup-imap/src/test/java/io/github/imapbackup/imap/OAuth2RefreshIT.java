package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XOAUTH2 with tokens that expire: a refused access token is refreshed once and the login tried
 * again; a second refusal is the authentication failure, whose message holds no token. GreenMail
 * accepts the user's password as the bearer token; the scripted server refuses as Gmail does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OAuth2RefreshIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final String EXPIRED = "ya29.expired-token-0001";

    @BeforeEach
    void user() {
        Fixtures.user(greenMail);
    }

    /** Tokens from a list: the first for {@code accessToken()}, the next on each refresh; records every call. */
    static final class ScriptedTokens implements OAuth2Tokens {
        final List<String> tokens;
        final List<String> rejected = new ArrayList<>();
        final AtomicInteger asked = new AtomicInteger();
        private int next;

        ScriptedTokens(String... tokens) {
            this.tokens = List.of(tokens);
        }

        @Override
        public synchronized String accessToken() {
            asked.incrementAndGet();
            return tokens.get(next);
        }

        @Override
        public synchronized String refresh(String rejectedToken) {
            rejected.add(rejectedToken);
            next = Math.min(next + 1, tokens.size() - 1);
            return tokens.get(next);
        }
    }

    private static ImapSource.Builder greenMailSource(OAuth2Tokens tokens) {
        return ImapSource.builder().host("localhost").port(greenMail.getImap().getPort())
                .security(Security.NONE).user(Fixtures.USER).oauth2(tokens).timeout(Duration.ofSeconds(10));
    }

    private static void assertNoSecret(Throwable e, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheLoginSucceeds() throws Exception {
        ScriptedTokens tokens = new ScriptedTokens(EXPIRED, Fixtures.PASSWORD);
        try (SourceConnection c = greenMailSource(tokens).build().connect()) {
            assertThat(c.folders()).isNotEmpty();
        }
        assertThat(tokens.rejected).containsExactly(EXPIRED);
    }

    @Test
    void everyConnectionAsksForTheCurrentToken() throws Exception {
        ScriptedTokens tokens = new ScriptedTokens(Fixtures.PASSWORD);
        ImapSource source = greenMailSource(tokens).build();
        for (int i = 0; i < 3; i++) {
            try (SourceConnection c = source.connect()) {
                assertThat(c.folders()).isNotEmpty();
            }
        }
        assertThat(tokens.asked).hasValue(3);
        assertThat(tokens.rejected).isEmpty();
    }

    @Test
    void aTokenRefusedAgainAfterTheRefreshIsAnAuthenticationFailureWithoutTheTokens() {
        String second = "ya29.still-wrong-0002";
        ScriptedTokens tokens = new ScriptedTokens(EXPIRED, second, "ya29.never-asked-0003");
        ImapSource source = greenMailSource(tokens).build();
        assertThatThrownBy(source::connect).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("localhost:" + greenMail.getImap().getPort())
                .hasMessageContaining(Fixtures.USER)
                .hasMessageContaining("new OAuth2 access token was refused too")
                .satisfies(e -> assertNoSecret(e, EXPIRED, second));
        assertThat(tokens.rejected).containsExactly(EXPIRED);
    }

    @Test
    void aFixedTokenIsNotTriedTwice() {
        AtomicInteger asked = new AtomicInteger();
        ImapSource source = greenMailSource(OAuth2Tokens.of(() -> {
            asked.incrementAndGet();
            return EXPIRED;
        })).build();
        assertThatThrownBy(source::connect).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no other OAuth2 access token to try")
                .satisfies(e -> assertNoSecret(e, EXPIRED));
        assertThat(asked).hasValue(2);
    }

    @Test
    void aTokenSourceThatFailsIsAnAuthenticationFailureNamingWhy() {
        OAuth2Tokens broken = new OAuth2Tokens() {
            @Override
            public String accessToken() throws IOException {
                throw new IOException("https://oauth2.example/token: invalid_grant: sign in again");
            }

            @Override
            public String refresh(String rejected) throws IOException {
                throw new AssertionError("never called");
            }
        };
        assertThatThrownBy(greenMailSource(broken).build()::connect).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no OAuth2 access token for user " + Fixtures.USER)
                .hasMessageContaining("invalid_grant: sign in again");
    }

    @Test
    void aTargetLogsInWithRefreshedTokensInsteadOfTheAccountsPassword() throws Exception {
        ImapSource account = Fixtures.plain(greenMail).password("wrong-password"::toCharArray).build();
        ScriptedTokens tokens = new ScriptedTokens(EXPIRED, Fixtures.PASSWORD);
        ImapTarget target = ImapTarget.builder(account).oauth2(tokens).build();
        assertThat(target.toString()).doesNotContain(Fixtures.PASSWORD);
        try (TargetFolder f = target.open(new FolderInfo("Restored", "/", Set.of(), true), MessageIdExtractor.standard())) {
            assertThat(f.messages()).isEmpty();
        }
        assertThat(tokens.rejected).containsExactly(EXPIRED);
    }

    @Test
    void gmailsErrorChallengeGetsAnEmptyResponseThenTheRefreshedTokenLogsIn() throws Exception {
        for (boolean saslIr : new boolean[] {true, false}) {
            try (FakeImapServer server = FakeImapServer.start("alice@gmail.com", "ya29.fresh-0002")) {
                List<String> caps = new ArrayList<>(FakeImapServer.DEFAULT_CAPABILITIES);
                caps.add("AUTH=XOAUTH2");
                if (saslIr) {
                    caps.add("SASL-IR");
                }
                server.capabilities(caps.toArray(String[]::new));
                ScriptedTokens tokens = new ScriptedTokens(EXPIRED, "ya29.fresh-0002");
                ImapSource source = ImapSource.builder().host(server.host()).port(server.port())
                        .security(Security.NONE).user("alice@gmail.com").oauth2(tokens)
                        .timeout(Duration.ofSeconds(10)).build();
                try (SourceConnection c = source.connect()) {
                    assertThat(c.folders()).extracting(FolderInfo::name).contains("INBOX");
                }
                assertThat(tokens.rejected).as("SASL-IR " + saslIr).containsExactly(EXPIRED);
                assertThat(server.commands()).as("SASL-IR " + saslIr)
                        .contains("(empty response)").doesNotContain("(a response that is not empty)")
                        .allSatisfy(line -> assertThat(line).doesNotContain(EXPIRED));
                assertThat(server.commandNames()).filteredOn("AUTHENTICATE"::equals).hasSize(2);
            }
        }
    }

    @Test
    void gmailRefusingTheRefreshedTokenTooFailsWithoutATokenInTheMessage() throws Exception {
        try (FakeImapServer server = FakeImapServer.start("alice@gmail.com", "ya29.the-right-one")) {
            server.capabilities("IMAP4rev1", "SASL-IR", "AUTH=XOAUTH2");
            String second = "ya29.revoked-0002";
            ImapSource source = ImapSource.builder().host(server.host()).port(server.port())
                    .security(Security.NONE).user("alice@gmail.com").oauth2(new ScriptedTokens(EXPIRED, second))
                    .timeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(source::connect).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("Invalid credentials")
                    .satisfies(e -> assertNoSecret(e, EXPIRED, second));
            assertThat(server.commandNames()).filteredOn("AUTHENTICATE"::equals).hasSize(2);
        }
    }
}
