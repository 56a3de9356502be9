package io.github.imapbackup.imap.bench;

/**
 * One measured run of {@link BackupBenchmark}.
 *
 * @param link the link it ran over (its name)
 * @param run what ran, e.g. "backup cold (java -jar)"
 * @param kind what it is compared with: {@code RAW} (the raw reader), {@code FULL} (copies the whole
 *     account: compared with the raw reader and mbsync), {@code MBSYNC_FSYNC}, {@code MBSYNC_NOFSYNC}
 *     (the mbsync full runs, the references), {@code OTHER} (no ratio)
 * @param seconds wall seconds (for a {@code java -jar} run: from starting {@code java} to its exit)
 * @param bytes message bytes copied (or read)
 * @param messages messages copied (or read)
 * @param cpuSeconds user + system CPU seconds of the run's processes, or -1 if unknown
 * @param rssKb peak RSS of the run's processes together, KiB, or -1 if unknown
 * @param notes exit status and what else matters
 */
record BenchRow(String link, String run, Kind kind, double seconds, long bytes, long messages, double cpuSeconds,
        long rssKb, String notes) {

    /** What a row is compared with. */
    enum Kind { RAW, FULL, MBSYNC_FSYNC, MBSYNC_NOFSYNC, OTHER }

    /** {@return MB/s (10^6 bytes), or NaN without bytes} */
    double mbPerSecond() {
        return bytes > 0 && seconds > 0 ? bytes / seconds / 1e6 : Double.NaN;
    }

    /** {@return CPU seconds per GB (10^9 bytes), or NaN} */
    double cpuPerGb() {
        return bytes > 0 && cpuSeconds >= 0 ? cpuSeconds / (bytes / 1e9) : Double.NaN;
    }

    /** {@return whether this row copies the whole account, so that ratios apply} */
    boolean whole() {
        return kind != Kind.OTHER;
    }
}
