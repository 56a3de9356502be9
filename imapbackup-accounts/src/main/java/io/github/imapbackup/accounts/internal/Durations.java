package io.github.imapbackup.accounts.internal;

import java.time.Duration;

/** Shows durations as people write them in a configuration file. */
final class Durations {

    private Durations() { }

    /** {@return {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 1d}} */
    static String show(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s == 0 || s % 60 != 0) {
            return s + "s";
        }
        long m = s / 60;
        if (m % 60 != 0) {
            return m >= 60 ? m / 60 + "h" + m % 60 + "m" : m + "m";
        }
        long h = m / 60;
        return h % 24 == 0 ? h / 24 + "d" : h + "h";
    }
}
