package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target account that fills up (Dovecot's quota: six messages): the restore ends with a report
 * that names the folders that failed and the server's words, no exception, and a rerun stores
 * nothing twice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotFullTargetIT {

    static final String SOURCE = "full-source";
    static final String TARGET = "full-target";

    @RegisterExtension
    static final Dovecot SOURCE_SERVER = Dovecot.builder().user(SOURCE, "Full-s3cret").build();

    @RegisterExtension
    static final Dovecot FULL = Dovecot.builder().user(TARGET, "Full-s3cret")
            .config("mail_plugins = quota", "plugin {", "  quota = maildir:User quota", "  quota_rule = *:messages=6", "}")
            .build();

    @Test
    void aFullAccountFailsTheRestLoudlyAndARerunStoresNothingTwice(@TempDir Path dir) throws Exception {
        VariedMail.fill(SOURCE_SERVER, SOURCE);
        assertThat(Restores.backup(SOURCE_SERVER, SOURCE, dir).allErrors()).isEmpty();

        BackupReport full = Restores.restore(dir, FULL, TARGET);
        assertThat(full.hasFailures()).isTrue();
        assertThat(full.allErrors()).isNotEmpty().allSatisfy(e -> assertThat(e.message()).contains("OVERQUOTA")
                .as("names its folder once").containsOnlyOnce("folder \""));
        long held = Restores.counts(FULL, TARGET).values().stream().mapToLong(Long::longValue).sum();
        // Dovecot checks the quota per session: four connections appending at once may pass it by a few
        assertThat(held).isBetween(6L, 9L);
        assertThat(full.totals().messagesCopied()).as("nothing counted as copied that did not arrive")
                .isLessThanOrEqualTo(held);

        BackupReport again = Restores.restore(dir, FULL, TARGET);
        assertThat(again.hasFailures()).isTrue();
        assertThat(Restores.counts(FULL, TARGET).values().stream().mapToLong(Long::longValue).sum())
                .as("a rerun stores nothing twice").isEqualTo(held);
    }
}
