package io.github.imapbackup;

import java.time.Duration;
import java.util.Objects;

/**
 * The counters of a report, for one folder or for the whole run. Immutable; a counter added in a
 * later version breaks no caller, because counters are made only through {@link #builder()} (by
 * sources, targets and front ends that build reports) or summed with {@link #plus(Counters)}.
 *
 * <pre>{@code
 * Counters folder = Counters.builder().messagesOnSource(10).messagesCopied(4).bytesCopied(4096).build();
 * Counters total = Counters.empty().plus(folder).plus(folder);
 * }</pre>
 */
public final class Counters {

    private static final Counters EMPTY = new Builder().build();

    private final long messagesOnSource;
    private final long messagesCopied;
    private final long messagesSkipped;
    private final long duplicatesOnSource;
    private final long bytesCopied;
    private final long errors;
    private final long flagsUpdated;
    private final long messagesExpunged;
    private final long expungedBeforeCopy;
    private final long flagsDropped;
    private final long onlyOnTarget;
    private final long duplicatesOnTarget;
    private final long deletedFromTarget;
    private final long deletedFromSource;
    private final long foldersDeletedFromTarget;
    private final long foldersFromCache;
    private final long reconnectsToSource;
    private final long reconnectsToTarget;
    private final long throttleWaits;
    private final long throttledMillis;
    private final long pacedMillis;

    private Counters(Builder b) {
        this.messagesOnSource = b.messagesOnSource;
        this.messagesCopied = b.messagesCopied;
        this.messagesSkipped = b.messagesSkipped;
        this.duplicatesOnSource = b.duplicatesOnSource;
        this.bytesCopied = b.bytesCopied;
        this.errors = b.errors;
        this.flagsUpdated = b.flagsUpdated;
        this.messagesExpunged = b.messagesExpunged;
        this.expungedBeforeCopy = b.expungedBeforeCopy;
        this.flagsDropped = b.flagsDropped;
        this.onlyOnTarget = b.onlyOnTarget;
        this.duplicatesOnTarget = b.duplicatesOnTarget;
        this.deletedFromTarget = b.deletedFromTarget;
        this.deletedFromSource = b.deletedFromSource;
        this.foldersDeletedFromTarget = b.foldersDeletedFromTarget;
        this.foldersFromCache = b.foldersFromCache;
        this.reconnectsToSource = b.reconnectsToSource;
        this.reconnectsToTarget = b.reconnectsToTarget;
        this.throttleWaits = b.throttleWaits;
        this.throttledMillis = b.throttledMillis;
        this.pacedMillis = b.pacedMillis;
    }

    /** {@return all counters zero} */
    public static Counters empty() {
        return EMPTY;
    }

    /** {@return a builder with every counter zero, for sources, targets and front ends that build reports} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this object's counters, to change some of them} */
    public Builder toBuilder() {
        return new Builder().messagesOnSource(messagesOnSource).messagesCopied(messagesCopied)
                .messagesSkipped(messagesSkipped).duplicatesOnSource(duplicatesOnSource).bytesCopied(bytesCopied)
                .errors(errors).flagsUpdated(flagsUpdated).messagesExpunged(messagesExpunged)
                .expungedBeforeCopy(expungedBeforeCopy)
                .flagsDropped(flagsDropped).onlyOnTarget(onlyOnTarget).duplicatesOnTarget(duplicatesOnTarget)
                .deletedFromTarget(deletedFromTarget).deletedFromSource(deletedFromSource)
                .foldersDeletedFromTarget(foldersDeletedFromTarget).foldersFromCache(foldersFromCache)
                .reconnectsToSource(reconnectsToSource).reconnectsToTarget(reconnectsToTarget)
                .throttleWaits(throttleWaits).throttled(Duration.ofMillis(throttledMillis))
                .paced(Duration.ofMillis(pacedMillis));
    }

    /** {@return messages found on the source (server folder or input file)} */
    public long messagesOnSource() {
        return messagesOnSource;
    }

    /**
     * {@return messages written and committed (made durable); a message written but lost because
     * saving the file failed is an error, not a copy (in a dry run: that would be written)}
     */
    public long messagesCopied() {
        return messagesCopied;
    }

    /** {@return messages not copied because the destination already holds them} */
    public long messagesSkipped() {
        return messagesSkipped;
    }

    /**
     * {@return extra byte-identical copies the source holds in one folder (or input file)}
     * Messages whose exact bytes (SHA-256) equal those of another message there, so a message held
     * three times counts two; every copy is kept. Messages that merely share a Message-ID are
     * distinct and not counted. Counted from the bytes once known: a backup counts the folder's
     * messages in the backup, a dry run only those already stored.
     */
    public long duplicatesOnSource() {
        return duplicatesOnSource;
    }

    /** {@return message bytes written and committed (or that would be written)} */
    public long bytesCopied() {
        return bytesCopied;
    }

    /** {@return failures (folders or messages)} */
    public long errors() {
        return errors;
    }

    /** {@return messages whose flags changed on the source and were updated in the index} */
    public long flagsUpdated() {
        return flagsUpdated;
    }

    /** {@return messages newly found expunged on the source (kept in the backup)} */
    public long messagesExpunged() {
        return messagesExpunged;
    }

    /**
     * {@return messages the source listed but expunged before their bodies were fetched} Another
     * client deleted them during the run; the source confirmed they are gone, so they are neither
     * copied nor failures. A message that could not be fetched and is still there is an error.
     */
    public long expungedBeforeCopy() {
        return expungedBeforeCopy;
    }

    /**
     * {@return flags and keywords the target did not store, summed over the messages copied} A
     * target (an IMAP server) keeps only the flags its PERMANENTFLAGS allow; the message is copied
     * without the others. {@code \Recent} is never asked for and never counted.
     */
    public long flagsDropped() {
        return flagsDropped;
    }

    /**
     * {@return messages the target held whose identity the source folder does not hold at all (counted by a
     * copy without incremental state: a restore, a migration; in a dry run as well)}
     */
    public long onlyOnTarget() {
        return onlyOnTarget;
    }

    /**
     * {@return surplus copies the target held of a message the source folder holds fewer times} A
     * message held three times on the target and twice on the source counts one. Counted as
     * {@link #onlyOnTarget()} is.
     */
    public long duplicatesOnTarget() {
        return duplicatesOnTarget;
    }

    /**
     * {@return messages deleted from the target because the source does not hold them (a migration's
     * {@code --delete2}; in a dry run: that would be deleted)}
     */
    public long deletedFromTarget() {
        return deletedFromTarget;
    }

    /**
     * {@return messages deleted from the source after they were verified on the target (a migration's
     * {@code --delete1}; in a dry run: that would be deleted)}
     */
    public long deletedFromSource() {
        return deletedFromSource;
    }

    /**
     * {@return folders deleted from the target because no source folder maps to them (a migration's
     * {@code --delete2folders}; in a dry run: that would be deleted)}
     */
    public long foldersDeletedFromTarget() {
        return foldersDeletedFromTarget;
    }

    /**
     * {@return folders a migration's state cache found unchanged on both sides since a run that
     * left nothing to copy, so they were not listed; their messages count as on the source and
     * skipped}
     */
    public long foldersFromCache() {
        return foldersFromCache;
    }

    /**
     * {@return how often a connection to the source dropped during a folder and was opened again
     * (the folder's copy then went on where it stood; see docs/ARCHITECTURE.md, "Reconnecting")}
     */
    public long reconnectsToSource() {
        return reconnectsToSource;
    }

    /**
     * {@return how often a connection to the target dropped during a folder and was opened again}
     * Zero with the targets of this version: a target that loses its connection fails the folder
     * (docs/ARCHITECTURE.md, "Reconnecting").
     */
    public long reconnectsToTarget() {
        return reconnectsToTarget;
    }

    /**
     * {@return how often the source waited because the server throttled it (it answered "slow
     * down": {@code NO [THROTTLED]}, {@code [UNAVAILABLE]}, a provider's words) and was then asked
     * again; see docs/ARCHITECTURE.md, "Throttling"}
     */
    public long throttleWaits() {
        return throttleWaits;
    }

    /** {@return how long the {@link #throttleWaits() throttle waits} took in all (to the millisecond)} */
    public Duration throttled() {
        return Duration.ofMillis(throttledMillis);
    }

    /** {@return how long the source waited to keep to its rate caps (bytes or messages per second)} */
    public Duration paced() {
        return Duration.ofMillis(pacedMillis);
    }

    /**
     * Returns the sum of this and {@code other}.
     *
     * @param other the counters to add
     * @return the sum
     * @throws ArithmeticException if a sum overflows
     */
    public Counters plus(Counters other) {
        Objects.requireNonNull(other, "other");
        return new Builder()
                .messagesOnSource(Math.addExact(messagesOnSource, other.messagesOnSource))
                .messagesCopied(Math.addExact(messagesCopied, other.messagesCopied))
                .messagesSkipped(Math.addExact(messagesSkipped, other.messagesSkipped))
                .duplicatesOnSource(Math.addExact(duplicatesOnSource, other.duplicatesOnSource))
                .bytesCopied(Math.addExact(bytesCopied, other.bytesCopied))
                .errors(Math.addExact(errors, other.errors))
                .flagsUpdated(Math.addExact(flagsUpdated, other.flagsUpdated))
                .messagesExpunged(Math.addExact(messagesExpunged, other.messagesExpunged))
                .expungedBeforeCopy(Math.addExact(expungedBeforeCopy, other.expungedBeforeCopy))
                .flagsDropped(Math.addExact(flagsDropped, other.flagsDropped))
                .onlyOnTarget(Math.addExact(onlyOnTarget, other.onlyOnTarget))
                .duplicatesOnTarget(Math.addExact(duplicatesOnTarget, other.duplicatesOnTarget))
                .deletedFromTarget(Math.addExact(deletedFromTarget, other.deletedFromTarget))
                .deletedFromSource(Math.addExact(deletedFromSource, other.deletedFromSource))
                .foldersDeletedFromTarget(Math.addExact(foldersDeletedFromTarget, other.foldersDeletedFromTarget))
                .foldersFromCache(Math.addExact(foldersFromCache, other.foldersFromCache))
                .reconnectsToSource(Math.addExact(reconnectsToSource, other.reconnectsToSource))
                .reconnectsToTarget(Math.addExact(reconnectsToTarget, other.reconnectsToTarget))
                .throttleWaits(Math.addExact(throttleWaits, other.throttleWaits))
                .throttled(Duration.ofMillis(Math.addExact(throttledMillis, other.throttledMillis)))
                .paced(Duration.ofMillis(Math.addExact(pacedMillis, other.pacedMillis)))
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Counters c && messagesOnSource == c.messagesOnSource
                && messagesCopied == c.messagesCopied && messagesSkipped == c.messagesSkipped
                && duplicatesOnSource == c.duplicatesOnSource && bytesCopied == c.bytesCopied
                && errors == c.errors && flagsUpdated == c.flagsUpdated && messagesExpunged == c.messagesExpunged
                && expungedBeforeCopy == c.expungedBeforeCopy
                && flagsDropped == c.flagsDropped && onlyOnTarget == c.onlyOnTarget
                && duplicatesOnTarget == c.duplicatesOnTarget && deletedFromTarget == c.deletedFromTarget
                && deletedFromSource == c.deletedFromSource && foldersDeletedFromTarget == c.foldersDeletedFromTarget
                && foldersFromCache == c.foldersFromCache && reconnectsToSource == c.reconnectsToSource
                && reconnectsToTarget == c.reconnectsToTarget && throttleWaits == c.throttleWaits
                && throttledMillis == c.throttledMillis && pacedMillis == c.pacedMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(messagesOnSource, messagesCopied, messagesSkipped, duplicatesOnSource, bytesCopied,
                errors, flagsUpdated, messagesExpunged, expungedBeforeCopy, flagsDropped, onlyOnTarget, duplicatesOnTarget,
                deletedFromTarget, deletedFromSource, foldersDeletedFromTarget, foldersFromCache, reconnectsToSource,
                reconnectsToTarget, throttleWaits, throttledMillis, pacedMillis);
    }

    @Override
    public String toString() {
        return "Counters[messagesOnSource=" + messagesOnSource + ", messagesCopied=" + messagesCopied
                + ", messagesSkipped=" + messagesSkipped + ", duplicatesOnSource=" + duplicatesOnSource
                + ", bytesCopied=" + bytesCopied + ", errors=" + errors + ", flagsUpdated=" + flagsUpdated
                + ", messagesExpunged=" + messagesExpunged + ", expungedBeforeCopy=" + expungedBeforeCopy
                + ", flagsDropped=" + flagsDropped
                + ", onlyOnTarget=" + onlyOnTarget + ", duplicatesOnTarget=" + duplicatesOnTarget
                + ", deletedFromTarget=" + deletedFromTarget + ", deletedFromSource=" + deletedFromSource
                + ", foldersDeletedFromTarget=" + foldersDeletedFromTarget + ", foldersFromCache=" + foldersFromCache
                + ", reconnectsToSource=" + reconnectsToSource + ", reconnectsToTarget=" + reconnectsToTarget
                + ", throttleWaits=" + throttleWaits + ", throttled=" + throttled() + ", paced=" + paced() + "]";
    }

    /**
     * Builds {@link Counters}: every counter starts at zero and is set by name, so a counter added
     * later leaves existing code unchanged. Not thread-safe.
     */
    public static final class Builder {

        private long messagesOnSource;
        private long messagesCopied;
        private long messagesSkipped;
        private long duplicatesOnSource;
        private long bytesCopied;
        private long errors;
        private long flagsUpdated;
        private long messagesExpunged;
        private long expungedBeforeCopy;
        private long flagsDropped;
        private long onlyOnTarget;
        private long duplicatesOnTarget;
        private long deletedFromTarget;
        private long deletedFromSource;
        private long foldersDeletedFromTarget;
        private long foldersFromCache;
        private long reconnectsToSource;
        private long reconnectsToTarget;
        private long throttleWaits;
        private long throttledMillis;
        private long pacedMillis;

        private Builder() { }

        private static long check(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return value;
        }

        /**
         * Sets {@link Counters#messagesOnSource()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder messagesOnSource(long n) {
            messagesOnSource = check("messagesOnSource", n);
            return this;
        }

        /**
         * Sets {@link Counters#messagesCopied()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder messagesCopied(long n) {
            messagesCopied = check("messagesCopied", n);
            return this;
        }

        /**
         * Sets {@link Counters#messagesSkipped()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder messagesSkipped(long n) {
            messagesSkipped = check("messagesSkipped", n);
            return this;
        }

        /**
         * Sets {@link Counters#duplicatesOnSource()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder duplicatesOnSource(long n) {
            duplicatesOnSource = check("duplicatesOnSource", n);
            return this;
        }

        /**
         * Sets {@link Counters#bytesCopied()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder bytesCopied(long n) {
            bytesCopied = check("bytesCopied", n);
            return this;
        }

        /**
         * Sets {@link Counters#errors()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder errors(long n) {
            errors = check("errors", n);
            return this;
        }

        /**
         * Sets {@link Counters#flagsUpdated()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder flagsUpdated(long n) {
            flagsUpdated = check("flagsUpdated", n);
            return this;
        }

        /**
         * Sets {@link Counters#messagesExpunged()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder messagesExpunged(long n) {
            messagesExpunged = check("messagesExpunged", n);
            return this;
        }

        /**
         * Sets {@link Counters#expungedBeforeCopy()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder expungedBeforeCopy(long n) {
            expungedBeforeCopy = check("expungedBeforeCopy", n);
            return this;
        }

        /**
         * Sets {@link Counters#flagsDropped()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder flagsDropped(long n) {
            flagsDropped = check("flagsDropped", n);
            return this;
        }

        /**
         * Sets {@link Counters#onlyOnTarget()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder onlyOnTarget(long n) {
            onlyOnTarget = check("onlyOnTarget", n);
            return this;
        }

        /**
         * Sets {@link Counters#duplicatesOnTarget()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder duplicatesOnTarget(long n) {
            duplicatesOnTarget = check("duplicatesOnTarget", n);
            return this;
        }

        /**
         * Sets {@link Counters#deletedFromTarget()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder deletedFromTarget(long n) {
            deletedFromTarget = check("deletedFromTarget", n);
            return this;
        }

        /**
         * Sets {@link Counters#deletedFromSource()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder deletedFromSource(long n) {
            deletedFromSource = check("deletedFromSource", n);
            return this;
        }

        /**
         * Sets {@link Counters#foldersDeletedFromTarget()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder foldersDeletedFromTarget(long n) {
            foldersDeletedFromTarget = check("foldersDeletedFromTarget", n);
            return this;
        }

        /**
         * Sets {@link Counters#foldersFromCache()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder foldersFromCache(long n) {
            foldersFromCache = check("foldersFromCache", n);
            return this;
        }

        /**
         * Sets {@link Counters#reconnectsToSource()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder reconnectsToSource(long n) {
            reconnectsToSource = check("reconnectsToSource", n);
            return this;
        }

        /**
         * Sets {@link Counters#reconnectsToTarget()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder reconnectsToTarget(long n) {
            reconnectsToTarget = check("reconnectsToTarget", n);
            return this;
        }

        /**
         * Sets {@link Counters#throttleWaits()}.
         *
         * @param n 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder throttleWaits(long n) {
            throttleWaits = check("throttleWaits", n);
            return this;
        }

        /**
         * Sets {@link Counters#throttled()}.
         *
         * @param d not negative; kept to the millisecond
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder throttled(Duration d) {
            throttledMillis = check("throttled", Objects.requireNonNull(d, "throttled").toMillis());
            return this;
        }

        /**
         * Sets {@link Counters#paced()}.
         *
         * @param d not negative; kept to the millisecond
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder paced(Duration d) {
            pacedMillis = check("paced", Objects.requireNonNull(d, "paced").toMillis());
            return this;
        }

        /** {@return the counters} */
        public Counters build() {
            return new Counters(this);
        }
    }
}
