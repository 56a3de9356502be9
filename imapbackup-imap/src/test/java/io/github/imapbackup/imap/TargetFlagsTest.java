package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Flags a target folder keeps (PERMANENTFLAGS), and the INTERNALDATE form of APPEND. */
class TargetFlagsTest {

    private static final Set<String> WANTED = Set.of("\\seen", "\\Flagged", "\\Recent", "\\Deleted", "$Label1",
            "Work", "bad kw", "\\Unknown", "\u00e9t\u00e9");

    @Test
    void keywordsOnlyWithBackslashStarAndNeverRecent() {
        Flags all = new Flags(Flags.Flag.SEEN);
        all.add(Flags.Flag.FLAGGED);
        all.add(Flags.Flag.DELETED);
        all.add(Flags.Flag.USER);
        assertThat(new TargetFlags(all).filter(WANTED))
                .containsExactlyInAnyOrder("\\Seen", "\\Flagged", "\\Deleted", "$Label1", "Work");
        Flags noKeywords = new Flags(Flags.Flag.SEEN);
        noKeywords.add("$Label1");
        assertThat(new TargetFlags(noKeywords).filter(WANTED)).containsExactlyInAnyOrder("\\Seen", "$Label1");
        assertThat(new TargetFlags(null).filter(WANTED)).isEmpty();
    }

    @Test
    void internalDateIsUtcInTheFormAppendTakes() {
        assertThat(TargetFlags.date(Instant.parse("2026-11-01T03:09:50.999Z"))).isEqualTo("01-Nov-2026 03:09:50 +0000");
        assertThat(TargetFlags.list(Set.of())).isEqualTo("()");
    }
}
