package io.github.imapbackup.spi;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.internal.StandardMergePlanner;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Decides, for candidate messages, which an archive already holds. Pure: no I/O. Copies are
 * counted: an archive entry answers for at most one candidate, so a message held twice on the
 * source is stored twice, and never a third time. Two messages with the same identity but
 * different bytes are both kept. An archive entry whose SHA-256 the target cannot tell (null, an
 * IMAP folder) is matched by identity and RFC822.SIZE.
 *
 * <pre>{@code
 * MergePlan plan = MergePlanner.standard().plan(archive.messages(), candidates);
 * for (MergePlanner.Decision d : plan.decisions()) {
 *     if (d.kind() != MergePlanner.Kind.PRESENT) {
 *         copy(d.candidate());
 *     }
 * }
 * }</pre>
 */
public interface MergePlanner {

    /** {@return the standard, thread-safe planner} */
    static MergePlanner standard() {
        return StandardMergePlanner.INSTANCE;
    }

    /**
     * Plans the merge.
     *
     * @param archive what the archive holds
     * @param candidates the candidates, in source order
     * @return one decision per candidate, in the same order
     */
    MergePlan plan(Collection<ArchivedMessage> archive, List<Candidate> candidates);

    /**
     * A message that might be added.
     *
     * @param identity its identity
     * @param length its exact length in bytes (RFC822.SIZE for a server message), or -1 if unknown
     * @param sha256 lowercase hex SHA-256 of its bytes, or null when unknown (not yet downloaded)
     * @param key the caller's reference (e.g. the UID), carried through unchanged
     */
    record Candidate(MessageIdentity identity, long length, String sha256, long key) {

        /**
         * Validates.
         *
         * @param identity its identity
         * @param length its exact length in bytes (RFC822.SIZE for a server message), or -1 if
         *     unknown
         * @param sha256 lowercase hex SHA-256 of its bytes, or null when unknown (not yet
         *     downloaded)
         * @param key the caller's reference (e.g. the UID), carried through unchanged
         */
        public Candidate {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /** What to do with a candidate. */
    enum Kind {
        /** No message with this identity in the archive: add it. */
        ADD,
        /** The archive already holds this message (the matched entry is given): skip it. */
        PRESENT,
        /** The archive holds messages with this identity, but none equal to it: add it too. */
        ADD_DISTINCT
    }

    /**
     * The decision for one candidate.
     *
     * @param candidate the candidate
     * @param kind what to do
     * @param match the archive entry it matched, for {@link Kind#PRESENT}; otherwise null
     */
    record Decision(Candidate candidate, Kind kind, ArchivedMessage match) {

        /**
         * Validates.
         *
         * @param candidate the candidate
         * @param kind what to do
         * @param match the archive entry it matched, for {@link Kind#PRESENT}; otherwise null
         */
        public Decision {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.PRESENT) != (match != null)) {
                throw new IllegalArgumentException("a match is given exactly for PRESENT");
            }
        }
    }

    /**
     * A plan: one decision per candidate.
     *
     * @param decisions the decisions, in candidate order
     */
    record MergePlan(List<Decision> decisions) {

        /**
         * Copies.
         *
         * @param decisions the decisions, in candidate order
         */
        public MergePlan {
            decisions = List.copyOf(decisions);
        }

        /** {@return how many candidates are to be added} */
        public long toAdd() {
            return decisions.stream().filter(d -> d.kind() != Kind.PRESENT).count();
        }
    }
}
