package io.github.imapbackup.mbox.internal;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The UTC times of the index and the From_ lines, written and read per message without
 * {@link DateTimeFormatter} (whose every use builds a parse or print context: docs/benchmarks-imap.md,
 * "Nothing new and CPU per gigabyte"). Whole seconds from 1970 to 9999 take the fast path; anything
 * else goes through the JDK, so every result is exactly the JDK's.
 */
public final class UtcTimes {

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; // 1970-01-01 was a Thursday
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final long SECONDS_PER_DAY = 86_400;
    /** 10000-01-01T00:00:00Z: the first second whose year has five digits. */
    private static final long YEAR_10000 = 253_402_300_800L;

    private UtcTimes() { }

    /**
     * Returns {@link Instant#toString()}: {@code 2026-11-21T23:39:50Z}.
     *
     * @param t the time
     * @return the ISO-8601 text
     */
    public static String iso(Instant t) {
        long s = t.getEpochSecond();
        if (t.getNano() != 0 || s < 0 || s >= YEAR_10000) {
            return t.toString();
        }
        long[] ymd = civil(Math.floorDiv(s, SECONDS_PER_DAY));
        int sod = (int) Math.floorMod(s, SECONDS_PER_DAY);
        char[] c = new char[20];
        put(c, 0, ymd[0], 4);
        c[4] = '-';
        put(c, 5, ymd[1], 2);
        c[7] = '-';
        put(c, 8, ymd[2], 2);
        c[10] = 'T';
        clock(c, 11, sod);
        c[19] = 'Z';
        return new String(c);
    }

    /**
     * Returns the time in asctime form, UTC: {@code Sat Nov 21 23:39:50 2026} (day padded with a
     * space; fractions of a second dropped).
     *
     * @param t the time
     * @return the text
     */
    public static String asctime(Instant t) {
        long s = t.getEpochSecond();
        if (s < 0 || s >= YEAR_10000) {
            return ASCTIME.format(t);
        }
        long days = Math.floorDiv(s, SECONDS_PER_DAY);
        long[] ymd = civil(days);
        char[] c = new char[24];
        DAYS[(int) (days % 7)].getChars(0, 3, c, 0);
        c[3] = ' ';
        MONTHS[(int) ymd[1] - 1].getChars(0, 3, c, 4);
        c[7] = ' ';
        c[8] = ymd[2] < 10 ? ' ' : (char) ('0' + ymd[2] / 10);
        c[9] = (char) ('0' + ymd[2] % 10);
        c[10] = ' ';
        clock(c, 11, (int) Math.floorMod(s, SECONDS_PER_DAY));
        c[19] = ' ';
        put(c, 20, ymd[0], 4);
        return new String(c);
    }

    /**
     * Parses what {@link #iso} writes, {@code 2026-11-21T23:39:50Z}, from ASCII bytes without
     * building a parser or a string; any other form through {@link Instant#parse}.
     *
     * @param b the bytes
     * @param from where the text starts
     * @param to where it ends (exclusive)
     * @return the time
     * @throws DateTimeException if it is no valid time (a field out of range in the short form,
     *     a second 60 included, as {@link java.time.LocalDateTime#of(int, int, int, int, int, int)})
     * @throws IllegalArgumentException if the short form has something else than a digit
     */
    public static Instant parseIso(byte[] b, int from, int to) {
        if (to - from == 20 && b[from + 4] == '-' && b[from + 7] == '-' && b[from + 10] == 'T'
                && b[from + 13] == ':' && b[from + 16] == ':' && b[from + 19] == 'Z') {
            int year = digits(b, from, 4);
            int month = digits(b, from + 5, 2);
            int day = digits(b, from + 8, 2);
            int hour = digits(b, from + 11, 2);
            int minute = digits(b, from + 14, 2);
            int second = digits(b, from + 17, 2);
            if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour > 23 || minute > 59
                    || second > 59) {
                throw new DateTimeException("not a valid time: " + new String(b, from, 20, StandardCharsets.ISO_8859_1));
            }
            return Instant.ofEpochSecond(epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L
                    + minute * 60L + second);
        }
        return Instant.parse(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** {@code {year, month, day}} of a day since 1970-01-01 (H. Hinnant's civil_from_days). */
    private static long[] civil(long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        return new long[] {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
    }

    /** Days since 1970-01-01 of a date (H. Hinnant's days_from_civil). */
    private static long epochDay(long year, long month, long day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int lengthOfMonth(int year, int month) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** Writes {@code HH:mm:ss} of a second of the day. */
    private static void clock(char[] c, int at, int secondOfDay) {
        put(c, at, secondOfDay / 3600, 2);
        c[at + 2] = ':';
        put(c, at + 3, secondOfDay / 60 % 60, 2);
        c[at + 5] = ':';
        put(c, at + 6, secondOfDay % 60, 2);
    }

    private static void put(char[] c, int at, long value, int width) {
        long v = value;
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    private static int digits(byte[] b, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("not a digit at " + i);
            }
            v = v * 10 + d;
        }
        return v;
    }
}
