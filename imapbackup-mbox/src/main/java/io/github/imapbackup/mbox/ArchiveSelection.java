package io.github.imapbackup.mbox;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which messages of a backup directory {@link MboxStore#asSource(ArchiveSelection)} offers, and in
 * which folders: for a restore of a date range, of single messages, of what the server has since
 * expunged ("undelete"), of each folder as it was at a point in time, or of a Google Takeout
 * import into the folders named by its labels. Every condition set must hold; {@link #all()} sets
 * none and offers every message, those marked expunged too (what a copy of the whole backup
 * wants); each folder as it was at the last backup, without the messages the server had deleted
 * by then, is {@code asOf(now)}.
 *
 * <pre>{@code
 * ArchiveSelection lastTuesday = ArchiveSelection.builder()
 *         .asOf(Instant.parse("2026-12-01T18:00:00Z"))
 *         .build();
 * MessageSource source = MboxStore.builder(Path.of("backup")).build().asSource(lastTuesday);
 * }</pre>
 *
 * <ul>
 * <li><b>Dates</b>: {@link Builder#since(LocalDate)} and {@link Builder#before(LocalDate)} compare
 *     the message's INTERNALDATE (as the index records it) with the start of the day in UTC: since
 *     inclusive, before exclusive, as IMAP {@code SEARCH SINCE}/{@code BEFORE}.
 * <li><b>Message-IDs</b>: {@link Builder#messageIds(Collection)} matches a message whose identity is
 *     that Message-ID after the cleaning the identity itself gets ({@link MessageIdExtractor#standard()},
 *     see {@code docs/FORMAT-identity.md}): {@code <a@b>}, {@code a@b} and {@code  <a@b> (comment)}
 *     are the same.
 * <li><b>Expunged only</b>: only the messages the index marks as expunged by the server.
 * <li><b>Point in time</b>: {@link Builder#asOf(Instant)} offers each folder as it was at that
 *     time: the messages archived by then and not yet marked expunged then. A message whose archived
 *     time is unknown (archived by a version that did not record times, or found in an mbox without
 *     index) counts as archived before any time: it was in the archive before times were recorded.
 *     A message marked expunged whose expunge time is unknown (marked by such a version) was marked
 *     at the latest when its folder's index started recording times: it counts as expunged for a
 *     time at or after that, and as not yet expunged for an earlier time, since it may still have
 *     existed then; a restore would rather bring back a message that had been deleted than leave
 *     out one that existed. Flags are the last ones known, not those of that time. With
 *     {@link Builder#expungedOnly(boolean)}: the messages that existed at that time and are marked
 *     expunged now, i.e. what was deleted since.
 * <li><b>Labels as folders</b>: a message with an {@code X-Gmail-Labels} header (a Google Takeout
 *     import) is offered once in each folder its labels name, as Gmail's IMAP shows them, instead of
 *     in its own folder: {@code Inbox} in {@code INBOX}, {@code Sent} in {@code [Gmail]/Sent Mail},
 *     a label {@code Work/2019} in {@code Work/2019}; a message with no label that names a folder in
 *     {@code [Gmail]/All Mail}, so none is left out; once per folder, even when several imports hold
 *     the same bytes. See {@code docs/FORMAT-mbox.md}, "Google Takeout labels". Messages without
 *     that header stay in their own folder.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ArchiveSelection {

    private static final ArchiveSelection ALL = new Builder().build();

    private final LocalDate since;
    private final LocalDate before;
    private final Set<String> messageIds;
    private final Set<MessageIdentity> identities;
    private final boolean expungedOnly;
    private final Instant asOf;
    private final boolean labelsAsFolders;

    private ArchiveSelection(Builder b, Set<String> cleaned) {
        this.since = b.since;
        this.before = b.before;
        this.messageIds = Set.copyOf(cleaned);
        Set<MessageIdentity> ids = new LinkedHashSet<>();
        cleaned.forEach(id -> ids.add(MessageIdentity.ofMessageId(id)));
        this.identities = Set.copyOf(ids);
        this.expungedOnly = b.expungedOnly;
        this.asOf = b.asOf;
        this.labelsAsFolders = b.labelsAsFolders;
    }

    /** {@return the selection of every message of every folder, in its own folder} */
    public static ArchiveSelection all() {
        return ALL;
    }

    /** {@return a builder that selects everything until told otherwise} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder with this selection's settings} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.since = since;
        b.before = before;
        b.messageIds.addAll(messageIds);
        b.expungedOnly = expungedOnly;
        b.asOf = asOf;
        b.labelsAsFolders = labelsAsFolders;
        return b;
    }

    /** {@return the first day (UTC) whose messages are selected, if set} */
    public Optional<LocalDate> since() {
        return Optional.ofNullable(since);
    }

    /** {@return the day (UTC) from which messages are no longer selected, if set} */
    public Optional<LocalDate> before() {
        return Optional.ofNullable(before);
    }

    /** {@return the Message-IDs selected, cleaned ({@code <a@b>}); empty when not restricted} */
    public Set<String> messageIds() {
        return messageIds;
    }

    /** {@return whether only messages marked expunged are selected} */
    public boolean expungedOnly() {
        return expungedOnly;
    }

    /** {@return the point in time each folder is selected as it was, if set} */
    public Optional<Instant> asOf() {
        return Optional.ofNullable(asOf);
    }

    /** {@return whether Google Takeout messages go to the folders their labels name} */
    public boolean labelsAsFolders() {
        return labelsAsFolders;
    }

    /** {@return whether every message is selected (the folders may still be labels)} */
    boolean everyMessage() {
        return since == null && before == null && identities.isEmpty() && !expungedOnly && asOf == null;
    }

    /**
     * Returns whether a message is selected.
     *
     * @param m the message
     * @param timesSince when its folder's index started recording times, or null when it never did
     */
    boolean matches(StoredMessage m, Instant timesSince) {
        Instant date = m.message().internalDate();
        if (since != null && date.isBefore(since.atStartOfDay(ZoneOffset.UTC).toInstant())
                || before != null && !date.isBefore(before.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            return false;
        }
        if (!identities.isEmpty() && !identities.contains(m.message().identity())) {
            return false;
        }
        if (expungedOnly && !m.message().expunged()) {
            return false;
        }
        return asOf == null || existedAt(m, asOf, timesSince);
    }

    /** Whether a message was in its folder at {@code t}: archived by then and not yet marked expunged. */
    static boolean existedAt(StoredMessage m, Instant t, Instant timesSince) {
        if (m.archivedAt().isPresent() && m.archivedAt().get().isAfter(t)) {
            return false;
        }
        if (!m.message().expunged()) {
            return true;
        }
        Instant marked = m.expungedAt().orElse(timesSince);
        return marked == null || marked.isAfter(t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchiveSelection s && Objects.equals(since, s.since) && Objects.equals(before, s.before)
                && messageIds.equals(s.messageIds) && expungedOnly == s.expungedOnly && Objects.equals(asOf, s.asOf)
                && labelsAsFolders == s.labelsAsFolders;
    }

    @Override
    public int hashCode() {
        return Objects.hash(since, before, messageIds, expungedOnly, asOf, labelsAsFolders);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ArchiveSelection[");
        if (since != null) {
            sb.append("since ").append(since).append(", ");
        }
        if (before != null) {
            sb.append("before ").append(before).append(", ");
        }
        if (!messageIds.isEmpty()) {
            sb.append(messageIds.size()).append(" Message-IDs, ");
        }
        if (expungedOnly) {
            sb.append("expunged only, ");
        }
        if (asOf != null) {
            sb.append("as of ").append(asOf).append(", ");
        }
        if (labelsAsFolders) {
            sb.append("labels as folders, ");
        }
        return (sb.length() > 17 ? sb.substring(0, sb.length() - 2) : sb + "all") + "]";
    }

    /** Builds an {@link ArchiveSelection}. Not thread-safe. */
    public static final class Builder {

        private LocalDate since;
        private LocalDate before;
        private final Set<String> messageIds = new LinkedHashSet<>();
        private boolean expungedOnly;
        private Instant asOf;
        private boolean labelsAsFolders;

        private Builder() { }

        /**
         * Selects messages whose INTERNALDATE is on or after the start of this day in UTC.
         *
         * @param day the first day, or null for no limit
         * @return this builder
         */
        public Builder since(LocalDate day) {
            this.since = day;
            return this;
        }

        /**
         * Selects messages whose INTERNALDATE is before the start of this day in UTC.
         *
         * @param day the day after the last one, or null for no limit
         * @return this builder
         */
        public Builder before(LocalDate day) {
            this.before = day;
            return this;
        }

        /**
         * Selects the messages with one of these Message-IDs (adds to those given before), each
         * with or without angle brackets.
         *
         * @param ids the Message-IDs
         * @return this builder
         */
        public Builder messageIds(Collection<String> ids) {
            for (String id : ids) {
                messageIds.add(Objects.requireNonNull(id, "Message-ID"));
            }
            return this;
        }

        /**
         * Selects only messages marked expunged (those the server deleted after they were backed up).
         *
         * @param expungedOnly whether to
         * @return this builder
         */
        public Builder expungedOnly(boolean expungedOnly) {
            this.expungedOnly = expungedOnly;
            return this;
        }

        /**
         * Selects each folder as it was at this time (see the class description for unknown times).
         *
         * @param time the point in time, or null for now, with every message archived since
         * @return this builder
         */
        public Builder asOf(Instant time) {
            this.asOf = time;
            return this;
        }

        /**
         * Offers each message that has an {@code X-Gmail-Labels} header in the folders its labels
         * name instead of in its own folder (Google Takeout).
         *
         * @param labelsAsFolders whether to
         * @return this builder
         */
        public Builder labelsAsFolders(boolean labelsAsFolders) {
            this.labelsAsFolders = labelsAsFolders;
            return this;
        }

        /**
         * Builds the selection.
         *
         * @return the selection
         * @throws IllegalArgumentException if {@code since} is not before {@code before}, or a
         *     Message-ID has nothing left after cleaning (names it)
         */
        public ArchiveSelection build() {
            if (since != null && before != null && !since.isBefore(before)) {
                throw new IllegalArgumentException("since " + since + " is not before " + before
                        + ": no message could be selected");
            }
            Set<String> cleaned = new LinkedHashSet<>();
            for (String id : messageIds) {
                cleaned.add(clean(id));
            }
            return new ArchiveSelection(this, cleaned);
        }

        /** Cleans a Message-ID as the standard extractor cleans the field's value. */
        private static String clean(String id) {
            byte[] field = ("Message-ID: " + id.replace('\r', ' ').replace('\n', ' ') + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                return MessageIdExtractor.standard().messageId(new ByteArrayInputStream(field))
                        .orElseThrow(() -> new IllegalArgumentException("not a usable Message-ID: \"" + id
                                + "\" (nothing is left inside the angle brackets)"));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // cannot happen: an array is read
            }
        }
    }
}
