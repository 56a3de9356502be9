package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.testing.imap.Dovecot;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ImapSource#probe()} ({@code --justconnect}): greeting and capabilities, on GreenMail and Dovecot. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).build();

    @Test
    void greenMailTellsItsGreetingAndCapabilities() throws Exception {
        Fixtures.user(greenMail);
        ImapSource.Probe probe = Fixtures.plain(greenMail).build().probe();
        assertThat(probe.greeting()).startsWith("* OK");
        assertThat(probe.capabilitiesBeforeLogin()).contains("IMAP4REV1").isSorted();
        assertThat(probe.capabilitiesAfterLogin()).contains("IMAP4REV1", "UIDPLUS").isSorted();
        assertThat(probe.toString()).doesNotContain(Fixtures.PASSWORD);
    }

    @Test
    void dovecotTellsMoreAfterLogin() throws Exception {
        ImapSource.Probe probe = Interop.source(DOVECOT).build().probe();
        assertThat(probe.greeting()).startsWith("* OK").contains("Dovecot");
        assertThat(probe.capabilitiesBeforeLogin()).contains("IMAP4REV1").anyMatch(c -> c.startsWith("AUTH="));
        assertThat(probe.capabilitiesAfterLogin()).contains("IMAP4REV1", "NAMESPACE", "CONDSTORE", "MULTIAPPEND")
                .noneMatch(c -> c.startsWith("AUTH="));
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailure() {
        assertThatThrownBy(() -> Interop.source(DOVECOT).password("nope"::toCharArray).build().probe())
                .isInstanceOf(AuthenticationException.class);
    }
}
