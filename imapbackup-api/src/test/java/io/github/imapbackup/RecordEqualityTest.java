package io.github.imapbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The public records whose {@code equals} and {@code hashCode} are written out (to keep a
 * record's first generated call, and its set-up, off a restore's and a migration's way): they
 * compare every component, as the generated ones do.
 */
class RecordEqualityTest {

    private static final MessageIdentity ID = MessageIdentity.ofMessageId("<a@example.org>");
    private static final String SHA = "0".repeat(64);
    private static final Instant WHEN = Instant.parse("2024-05-06T07:08:09Z");

    private static ArchivedMessage base() {
        return new ArchivedMessage(7, 42, ID, 100, 2000, SHA, 2001, WHEN, Set.of("\\Seen", "$Label1"), false,
                Set.of("Work"));
    }

    @Test
    void anArchivedMessageEqualsOneWithTheSameComponentsAndNoOtherWhateverComponentDiffers() {
        ArchivedMessage a = base();
        ArchivedMessage same = new ArchivedMessage(7, 42, MessageIdentity.ofMessageId("<a@example.org>"), 100, 2000,
                "0".repeat(64), 2001, Instant.parse("2024-05-06T07:08:09Z"), Set.of("$Label1", "\\Seen"), false,
                Set.of("Work"));
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(same).isEqualTo(a);
        List<ArchivedMessage> others = List.of(
                new ArchivedMessage(8, 42, ID, 100, 2000, SHA, 2001, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 43, ID, 100, 2000, SHA, 2001, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, MessageIdentity.ofMessageId("<b@example.org>"), 100, 2000, SHA, 2001,
                        WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 101, 2000, SHA, 2001, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2002, SHA, 2001, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, "1".repeat(64), 2001, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, null, 2001, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, SHA, 2003, WHEN, a.flags(), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, SHA, 2001, WHEN.plusSeconds(1), a.flags(), false,
                        a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, SHA, 2001, WHEN, Set.of("\\Seen"), false, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, SHA, 2001, WHEN, a.flags(), true, a.labels()),
                new ArchivedMessage(7, 42, ID, 100, 2000, SHA, 2001, WHEN, a.flags(), false, Set.of()));
        for (ArchivedMessage o : others) {
            assertThat(a).as(o.toString()).isNotEqualTo(o);
            assertThat(o).as(o.toString()).isNotEqualTo(a);
            assertThat(o).as("equal to itself").isEqualTo(o);
            assertThat(o.hashCode()).as("the hash of " + o).isNotEqualTo(a.hashCode());
        }
        assertThat(a).isNotEqualTo(null).isNotEqualTo(ID);
    }

    @Test
    void aMessageIdentityEqualsOneWithTheSameValue() {
        MessageIdentity same = new MessageIdentity("mid:" + "<a@example.org>");
        assertThat(ID).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(ID.hashCode()).isEqualTo("mid:<a@example.org>".hashCode());
        assertThat(ID).isNotEqualTo(MessageIdentity.ofMessageId("<A@example.org>")).isNotEqualTo("mid:<a@example.org>");
    }
}
