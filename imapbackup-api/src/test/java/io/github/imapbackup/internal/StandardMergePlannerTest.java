package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MergePlanner.Candidate;
import io.github.imapbackup.spi.MergePlanner.Decision;
import io.github.imapbackup.spi.MergePlanner.Kind;
import io.github.imapbackup.spi.MergePlanner.MergePlan;
import io.github.imapbackup.testing.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(20)
class StandardMergePlannerTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private final MergePlanner planner = MergePlanner.standard();
    private long offset;

    private static MessageIdentity id(String s) {
        return MessageIdentity.ofMessageId("<" + s + ">");
    }

    private static String sha(int n) {
        return String.format("%064x", n);
    }

    private ArchivedMessage entry(String id, long length, long size, String sha) {
        offset += length + 100;
        return new ArchivedMessage(1, 0, id(id), offset, length, sha, size, Instant.EPOCH, Set.of(), false);
    }

    private static List<Kind> kinds(MergePlan plan) {
        return plan.decisions().stream().map(Decision::kind).toList();
    }

    @Test
    void copiesAreCounted() {
        List<ArchivedMessage> archive = List.of(entry("a", 10, 10, sha(1)));
        List<Candidate> twice = List.of(new Candidate(id("a"), 10, null, 1), new Candidate(id("a"), 10, null, 2));
        assertThat(kinds(planner.plan(archive, twice))).containsExactly(Kind.PRESENT, Kind.ADD_DISTINCT);
        assertThat(planner.plan(archive, twice).toAdd()).isEqualTo(1);
        List<ArchivedMessage> both = List.of(archive.get(0), entry("a", 10, 10, sha(1)));
        assertThat(planner.plan(both, twice).toAdd()).isZero();
        assertThat(planner.plan(both, twice).decisions().get(0).match())
                .isNotSameAs(planner.plan(both, twice).decisions().get(1).match());
        assertThat(planner.plan(both, List.of(twice.get(0))).toAdd()).isZero();
    }

    @Test
    void sameMessageIdDifferentBytesIsAddedDistinct() {
        List<ArchivedMessage> archive = List.of(entry("a", 10, 10, sha(1)));
        assertThat(kinds(planner.plan(archive, List.of(new Candidate(id("a"), 11, null, 1)))))
                .containsExactly(Kind.ADD_DISTINCT);
        assertThat(kinds(planner.plan(archive, List.of(new Candidate(id("a"), 10, sha(2), 1)))))
                .containsExactly(Kind.ADD_DISTINCT);
        assertThat(kinds(planner.plan(archive, List.of(new Candidate(id("a"), 10, sha(1).toUpperCase(), 1)))))
                .containsExactly(Kind.PRESENT);
        assertThat(kinds(planner.plan(archive, List.of(new Candidate(id("b"), 10, null, 1)))))
                .containsExactly(Kind.ADD);
        assertThat(kinds(planner.plan(archive, List.of(new Candidate(id("a"), -1, null, 1)))))
                .containsExactly(Kind.PRESENT);
    }

    @Test
    void lengthMatchesRecordedSizeFirstThenExactLength() {
        // X came from a server that reported RFC822.SIZE 102 for 100 bytes; Y was imported (102 bytes)
        ArchivedMessage x = entry("a", 100, 102, sha(1));
        ArchivedMessage y = entry("a", 102, 102, sha(2));
        List<Candidate> server = List.of(new Candidate(id("a"), 102, null, 1), new Candidate(id("a"), 102, null, 2));
        MergePlan plan = planner.plan(List.of(x, y), server);
        assertThat(kinds(plan)).containsExactly(Kind.PRESENT, Kind.PRESENT);
        assertThat(plan.decisions().get(0).match()).isSameAs(x);
        assertThat(plan.decisions().get(1).match()).isSameAs(y);
        // an import of X's 100 bytes matches X by its exact length
        MergePlan imported = planner.plan(List.of(x, y), List.of(new Candidate(id("a"), 100, null, 1)));
        assertThat(imported.decisions().get(0).match()).isSameAs(x);
        // a size match is preferred even when a length match comes first in the archive
        MergePlan preferred = planner.plan(List.of(y, x), List.of(new Candidate(id("a"), 100, null, 1),
                new Candidate(id("a"), 102, null, 2)));
        assertThat(kinds(preferred)).containsExactly(Kind.PRESENT, Kind.PRESENT);
    }

    @Test
    void shaCandidatesAreServedBeforeWeakerOnes() {
        ArchivedMessage e = entry("a", 10, 10, sha(1));
        List<Candidate> cands = List.of(new Candidate(id("a"), -1, null, 1), new Candidate(id("a"), 10, sha(1), 2));
        MergePlan plan = planner.plan(List.of(e), cands);
        assertThat(kinds(plan)).containsExactly(Kind.ADD_DISTINCT, Kind.PRESENT);
    }

    /** An IMAP folder cannot tell the SHA-256 of what it holds: such entries match by identity and size. */
    @Test
    void entriesWithoutShaMatchByIdentityAndSizeWithCopiesCounted() {
        ArchivedMessage held = entry("a", 10, 10, null);
        List<Candidate> twice = List.of(new Candidate(id("a"), 10, sha(1), 1), new Candidate(id("a"), 10, sha(1), 2));
        MergePlan plan = planner.plan(List.of(held), twice);
        assertThat(kinds(plan)).containsExactly(Kind.PRESENT, Kind.ADD_DISTINCT);
        assertThat(plan.decisions().get(0).match()).isSameAs(held);
        assertThat(planner.plan(List.of(held, entry("a", 10, 10, null)), twice).toAdd()).isZero();
        // another size is another message
        assertThat(kinds(planner.plan(List.of(held), List.of(new Candidate(id("a"), 11, sha(1), 1)))))
                .containsExactly(Kind.ADD_DISTINCT);
        // a candidate without SHA-256 matches them as today: by size, or by identity when no length is known
        assertThat(kinds(planner.plan(List.of(held), List.of(new Candidate(id("a"), 10, null, 1)))))
                .containsExactly(Kind.PRESENT);
        assertThat(kinds(planner.plan(List.of(held), List.of(new Candidate(id("a"), -1, null, 1)))))
                .containsExactly(Kind.PRESENT);
        assertThat(kinds(planner.plan(List.of(held), List.of(new Candidate(id("b"), 10, sha(1), 1)))))
                .containsExactly(Kind.ADD);
    }

    @Test
    void anEntryWithShaIsNeverMatchedBySizeAloneAndIsServedFirst() {
        ArchivedMessage unknown = entry("a", 10, 10, null);
        ArchivedMessage known = entry("a", 10, 10, sha(1));
        // same identity and size, another SHA-256: a distinct message, although the size fits
        assertThat(kinds(planner.plan(List.of(known), List.of(new Candidate(id("a"), 10, sha(2), 1)))))
                .containsExactly(Kind.ADD_DISTINCT);
        // the SHA-256 match takes the entry that has it, the other candidate the entry without
        MergePlan plan = planner.plan(List.of(unknown, known), List.of(new Candidate(id("a"), 10, sha(2), 1),
                new Candidate(id("a"), 10, sha(1), 2)));
        assertThat(kinds(plan)).containsExactly(Kind.PRESENT, Kind.PRESENT);
        assertThat(plan.decisions().get(0).match()).isSameAs(unknown);
        assertThat(plan.decisions().get(1).match()).isSameAs(known);
    }

    @Test
    void emptyInputs() {
        assertThat(planner.plan(List.of(), List.of()).decisions()).isEmpty();
        assertThat(kinds(planner.plan(List.of(), List.of(new Candidate(id("a"), 1, null, 1)))))
                .containsExactly(Kind.ADD);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.github.imapbackup.internal.HeaderGenerator#seeds")
    void planningTwiceChangesNothingAndNoCandidateIsLost(long seed) {
        Random r = new Random(seeds.use(seed));
        for (int round = 0; round < 300; round++) {
            String where = "seed " + seed + ", round " + round;
            int ids = 1 + r.nextInt(6);
            List<ArchivedMessage> archive = new ArrayList<>();
            for (int i = r.nextInt(12); i > 0; i--) {
                long len = 10 + r.nextInt(3);
                long size = r.nextInt(5) == 0 ? len + r.nextInt(3) : len;
                archive.add(entry("m" + r.nextInt(ids), len, size, r.nextInt(4) == 0 ? null : sha((int) len)));
            }
            Collections.shuffle(archive, r);
            boolean withSha = r.nextInt(3) == 0;
            List<Candidate> cands = new ArrayList<>();
            for (int i = r.nextInt(12); i > 0; i--) {
                long len = 10 + r.nextInt(3);
                // whoever knows a message's SHA-256 read its bytes, so knows its length too
                cands.add(new Candidate(id("m" + r.nextInt(ids)), !withSha && r.nextInt(10) == 0 ? -1 : len,
                        withSha ? sha((int) len) : null, i));
            }
            MergePlan plan = planner.plan(archive, cands);
            assertThat(plan.decisions()).as(where).hasSize(cands.size());
            Map<ArchivedMessage, Boolean> used = new IdentityHashMap<>();
            Map<MessageIdentity, Integer> present = new HashMap<>();
            for (int i = 0; i < cands.size(); i++) {
                Decision d = plan.decisions().get(i);
                Candidate c = cands.get(i);
                assertThat(d.candidate()).as(where).isSameAs(c);
                boolean exists = archive.stream().anyMatch(m -> m.identity().equals(c.identity()));
                if (d.kind() == Kind.PRESENT) {
                    assertThat(used.put(d.match(), Boolean.TRUE)).as(where + ": entry used twice").isNull();
                    assertThat(d.match().identity()).as(where).isEqualTo(c.identity());
                    if (c.sha256() != null && d.match().sha256() == null) {
                        assertThat(d.match().size()).as(where).isEqualTo(c.length());
                    } else if (c.sha256() != null) {
                        assertThat(d.match().sha256()).as(where).isEqualTo(c.sha256());
                    } else if (c.length() >= 0) {
                        assertThat(c.length()).as(where).isIn(d.match().length(), d.match().size());
                    }
                    present.merge(c.identity(), 1, Integer::sum);
                } else {
                    assertThat(d.kind()).as(where).isEqualTo(exists ? Kind.ADD_DISTINCT : Kind.ADD);
                }
            }
            // no entry answers for more candidates than the archive holds copies
            present.forEach((k, n) -> assertThat(n).as(where)
                    .isLessThanOrEqualTo((int) archive.stream().filter(m -> m.identity().equals(k)).count()));
            // apply the plan, plan again: everything is present, nothing to add
            List<ArchivedMessage> after = new ArrayList<>(archive);
            for (Decision d : plan.decisions()) {
                if (d.kind() != Kind.PRESENT) {
                    Candidate c = d.candidate();
                    long len = c.length() >= 0 ? c.length() : 10;
                    after.add(entry(c.identity().value().substring(5, c.identity().value().length() - 1),
                            len, len, c.sha256() != null ? c.sha256() : sha((int) len)));
                }
            }
            MergePlan again = planner.plan(after, cands);
            assertThat(again.toAdd()).as(where + ", plan after applying " + kinds(plan)).isZero();
            assertThat(planner.plan(after, cands)).as(where).isEqualTo(again);
        }
    }
}
