package io.github.imapbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Counters are built by name, so a counter added later changes no caller (every call here names
 * only the counters it sets), and they sum, compare and print as values.
 */
@Timeout(10)
class CountersTest {

    @Test
    void unsetCountersAreZeroSoANewCounterNeedsNoCallerChange() {
        Counters c = Counters.builder().messagesCopied(2).build();

        assertThat(c.messagesCopied()).isEqualTo(2);
        assertThat(c.messagesOnSource()).isZero();
        assertThat(c.errors()).isZero();
        assertThat(c.messagesExpunged()).isZero();
        assertThat(c.toBuilder().errors(1).build()).isEqualTo(Counters.builder().messagesCopied(2).errors(1).build());
    }

    @Test
    void plusAddsEachCounterByName() {
        Counters a = Counters.builder().messagesOnSource(10).messagesCopied(4).messagesSkipped(6)
                .duplicatesOnSource(1).bytesCopied(4096).errors(1).flagsUpdated(2).messagesExpunged(3).build();
        Counters b = Counters.builder().messagesOnSource(5).messagesCopied(5).bytesCopied(100).build();

        Counters sum = a.plus(b);

        assertThat(sum).isEqualTo(Counters.builder().messagesOnSource(15).messagesCopied(9).messagesSkipped(6)
                .duplicatesOnSource(1).bytesCopied(4196).errors(1).flagsUpdated(2).messagesExpunged(3).build());
        assertThat(Counters.empty().plus(a)).isEqualTo(a);
        assertThat(a.plus(Counters.empty())).isEqualTo(a);
        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
    }

    @Test
    void flagsDroppedIsACounterLikeTheOthers() {
        Counters a = Counters.builder().flagsDropped(2).build();

        assertThat(a.flagsDropped()).isEqualTo(2);
        assertThat(a.plus(a).flagsDropped()).isEqualTo(4);
        assertThat(a.toBuilder().build()).isEqualTo(a).isNotEqualTo(Counters.empty());
        assertThat(a.toString()).contains("flagsDropped=2");
        assertThatThrownBy(() -> Counters.builder().flagsDropped(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flagsDropped");
    }

    @Test
    void theCountersOfWhatOnlyTheTargetHoldsAndOfDeletionsAreCountersLikeTheOthers() {
        Counters a = Counters.builder().onlyOnTarget(1).duplicatesOnTarget(2).deletedFromTarget(3)
                .deletedFromSource(4).foldersDeletedFromTarget(5).build();

        Counters twice = a.plus(a);
        assertThat(List.of(twice.onlyOnTarget(), twice.duplicatesOnTarget(), twice.deletedFromTarget(),
                twice.deletedFromSource(), twice.foldersDeletedFromTarget())).containsExactly(2L, 4L, 6L, 8L, 10L);
        assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a).isNotEqualTo(Counters.empty());
        for (Counters one : List.of(Counters.builder().onlyOnTarget(1).build(),
                Counters.builder().duplicatesOnTarget(1).build(), Counters.builder().deletedFromTarget(1).build(),
                Counters.builder().deletedFromSource(1).build(), Counters.builder().foldersDeletedFromTarget(1).build())) {
            assertThat(one).isNotEqualTo(Counters.empty());
        }
        assertThat(a.toString()).contains("onlyOnTarget=1", "duplicatesOnTarget=2", "deletedFromTarget=3",
                "deletedFromSource=4", "foldersDeletedFromTarget=5");
        assertThatThrownBy(() -> Counters.builder().deletedFromSource(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deletedFromSource");
    }

    @Test
    void messagesExpungedBeforeTheirCopyAreACounterLikeTheOthers() {
        Counters a = Counters.builder().expungedBeforeCopy(3).build();

        assertThat(a.expungedBeforeCopy()).isEqualTo(3);
        assertThat(a.plus(a).expungedBeforeCopy()).isEqualTo(6);
        assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a).isNotEqualTo(Counters.empty());
        assertThat(a.toString()).contains("expungedBeforeCopy=3");
        assertThat(Counters.builder().messagesCopied(1).build().expungedBeforeCopy()).isZero();
        assertThatThrownBy(() -> Counters.builder().expungedBeforeCopy(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expungedBeforeCopy");
    }

    @Test
    void equalsHashCodeAndToStringAreThoseOfAValue() {
        Counters one = Counters.builder().bytesCopied(7).build();
        Counters same = Counters.builder().bytesCopied(7).build();
        Counters other = Counters.builder().messagesCopied(7).build();

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other).isNotEqualTo(null);
        assertThat(one.toString()).contains("bytesCopied=7").contains("messagesCopied=0");
        assertThat(Counters.empty()).isEqualTo(Counters.builder().build());
    }

    @Test
    void negativeValuesAreRefusedNamingTheCounter() {
        assertThatThrownBy(() -> Counters.builder().errors(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errors");
        assertThatThrownBy(() -> Counters.builder().messagesOnSource(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messagesOnSource");
    }

    @Test
    void anOverflowingSumFailsInsteadOfTurningNegative() {
        Counters big = Counters.builder().bytesCopied(Long.MAX_VALUE).build();

        assertThatThrownBy(() -> big.plus(Counters.builder().bytesCopied(1).build()))
                .isInstanceOf(ArithmeticException.class);
    }
}
