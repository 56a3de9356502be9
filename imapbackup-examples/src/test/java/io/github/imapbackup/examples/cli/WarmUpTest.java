package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The worker's warm-up does every step it names: a step that broke (a class renamed, a parse refused) shows here. */
class WarmUpTest {

    @Test
    void everyStepSucceeds() {
        assertThat(WarmUp.run()).isEmpty();
    }

    @Test
    void theDateItParsesIsAnImapInternalDate() throws Exception {
        // the format of an INTERNALDATE (RFC 9051 date-time), as Angus hands it to MailDateFormat
        assertThat(new jakarta.mail.internet.MailDateFormat().parse("17-Jul-1996 02:44:25 -0700").toInstant())
                .isEqualTo(java.time.Instant.parse("1996-07-17T09:44:25Z"));
    }
}
