package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The worker's warm-up does every step it names: a step that broke (a class renamed, a parse refused) shows here. */
class WarmUpTest {

    @Test
    void everyStepSucceeds() {
        assertThat(WarmUp.run(true)).isEmpty();
        assertThat(WarmUp.run(false)).isEmpty();
    }

    @Test
    void theJdksCaTableIsWhereTheWarmUpLooksForIt() throws Exception {
        // a JDK that moved it would leave the step failing quietly: this says so at build time
        Class<?> table = Class.forName(WarmUp.JDK_CA_TABLE, false, null);
        assertThat(table.getModule().getName()).isEqualTo("java.base");
    }

    @Test
    void theDateItParsesIsAnImapInternalDate() throws Exception {
        // the format of an INTERNALDATE (RFC 9051 date-time), as Angus hands it to MailDateFormat
        assertThat(new jakarta.mail.internet.MailDateFormat().parse("17-Jul-1996 02:44:25 -0700").toInstant())
                .isEqualTo(java.time.Instant.parse("1996-07-17T09:44:25Z"));
    }

    @Test
    void onlyRunsThatSayNoneToEverySecurityOptionArePlain() {
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--host", "h", "--security", "none"})).isTrue();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security=none", "-d", "x"})).isTrue();
        assertThat(WarmUp.plainOnly(new String[] {"migrate", "--security1", "none", "--security2=none"})).isTrue();

        assertThat(WarmUp.plainOnly(new String[] {"backup", "--host", "h"})).as("TLS by default").isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security", "starttls"})).isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security=tls"})).isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"migrate", "--security1", "none", "--security2", "tls"})).isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security"})).as("no value").isFalse();
    }

    @Test
    void theCaTableIsReadOnlyWhenAConnectionMayCheckACertificate() {
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--host", "h"})).as("TLS by default").isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--security", "starttls"})).isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--security", "none"})).isFalse();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--host", "h", "--insecure"})).isFalse();
        assertThat(WarmUp.checksCertificates(new String[] {"migrate", "--insecure1", "--insecure2"})).isFalse();
        assertThat(WarmUp.checksCertificates(new String[] {"migrate", "--insecure1"})).as("host2 checks").isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"migrate", "--insecure"})).as("not an option of migrate")
                .isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--insecure1"})).as("not an option of backup")
                .isTrue();
    }
}
