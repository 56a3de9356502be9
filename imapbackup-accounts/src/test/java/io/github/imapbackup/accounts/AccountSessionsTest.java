package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.FolderFilter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The folder rules of an account as the engine's exclusions. */
class AccountSessionsTest {

    private static boolean excluded(List<Pattern> exclusions, String folder) {
        return exclusions.stream().anyMatch(p -> p.matcher(folder).matches());
    }

    @Test
    void anIgnoredFolderGoesWithItsSubFoldersAndNothingElse() {
        List<Pattern> x = AccountSessions.exclusions(List.of(FolderRule.name("Calendar"), FolderRule.name("Sync Issues"),
                FolderRule.regex("(?i).*spam.*")), List.of());
        assertThat(excluded(x, "Calendar")).isTrue();
        assertThat(excluded(x, "Calendar/Birthdays")).isTrue();
        assertThat(excluded(x, "Sync Issues.Conflicts")).isTrue();
        assertThat(excluded(x, "Calendars")).isFalse();
        assertThat(excluded(x, "INBOX")).isFalse();
        assertThat(excluded(x, "Junk/SPAM")).isTrue();
    }

    @Test
    void withFoldersToIncludeEverythingElseIsExcluded() {
        List<Pattern> x = AccountSessions.exclusions(List.of(FolderRule.name("Projects/Old")),
                List.of(FolderRule.name("inbox"), FolderRule.regex("Projects/.*")));
        assertThat(excluded(x, "INBOX")).isFalse();
        assertThat(excluded(x, "INBOX/Sub")).isFalse();
        assertThat(excluded(x, "Projects/A")).isFalse();
        assertThat(excluded(x, "Projects/Old")).isTrue();
        assertThat(excluded(x, "Sent")).isTrue();
        assertThat(excluded(x, "Projects")).isTrue();
        FolderFilter f = FolderFilter.all();
        for (Pattern p : x) {
            f = f.exclude(p);
        }
        assertThat(f.excluded()).hasSize(2);
    }
}
