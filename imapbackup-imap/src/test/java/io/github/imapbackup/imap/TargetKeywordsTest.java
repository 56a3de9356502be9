package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which keywords a target folder has taken or refused, and which a message would try first. */
class TargetKeywordsTest {

    private static final Set<String> FLAGS = new LinkedHashSet<>(List.of("\\Seen", "Work", "$Label1",
            "ProjectAlphaBetaGamma", "\\Flagged"));

    @Test
    void untriedAreTheKeywordsNotTakenYetLongestFirstAndNeverSystemFlags() {
        TargetKeywords k = new TargetKeywords();
        assertThat(k.untried(FLAGS, true)).containsExactly("ProjectAlphaBetaGamma", "$Label1", "Work");
        k.take(Set.of("\\Seen", "work", "$LABEL1"));
        assertThat(k.untried(FLAGS, true)).as("taken, compared without case").containsExactly("ProjectAlphaBetaGamma");
    }

    @Test
    void withoutTheWildcardNothingIsUntried() {
        assertThat(new TargetKeywords().untried(FLAGS, false)).isEmpty();
    }

    @Test
    void aRefusedKeywordIsKnownWhateverItsCase() {
        TargetKeywords k = new TargetKeywords();
        assertThat(k.refused("Work")).isFalse();
        k.refuse("WORK");
        assertThat(k.refused("work")).isTrue();
        assertThat(k.refused("$Label1")).isFalse();
    }
}
