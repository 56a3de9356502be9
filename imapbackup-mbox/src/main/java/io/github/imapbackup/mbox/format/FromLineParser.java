package io.github.imapbackup.mbox.format;

import io.github.imapbackup.mbox.internal.FromLine;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recognises From_ lines, {@code From <sender> <date>}, and says how sure it is that one starts a
 * message ({@link Kind}). The sender is one token (an addr-spec, {@code -} or
 * {@code MAILER-DAEMON}; pipermail's {@code user at host} is three). The date is read leniently:
 * a month name, a day, a time {@code hh:mm[:ss]} and a four-digit year in any order, optionally a
 * week day first and a zone ({@code +hhmm}, {@code -hh:mm}, {@code UTC}, {@code CEST},
 * {@code JST}, ...) after the time, before or after the year; anything after a complete date is
 * ignored (qmail's "moreinfo", {@code remote from ...}). A zone name the parser does not know
 * leaves the date unknown, not the line unrecognised: the date is information, not a condition.
 */
final class FromLineParser {

    /** The longest line considered as a From_ line. */
    static final int MAX_LINE = 4096;

    /** How strongly a line that starts with {@code From } looks like a separator. */
    enum Kind {
        /** Text such as {@code From here on we go}: no sender, no date. Never a separator. */
        TEXT,
        /**
         * A sender without a date: an address-like token ({@code a@b}, {@code -},
         * {@code MAILER-DAEMON}) followed by anything, or a lone token ({@code From root}).
         */
        SENDER,
        /** A sender and a date, read leniently. */
        DATED,
        /**
         * A sender token, then an asctime date ({@code Mon Sep 17 00:00:00 2001}, a zone allowed
         * after the time or the year), and nothing else but {@code remote from ...}; or a
         * Thunderbird {@code From - } line. What git, mutt, Thunderbird and imapbackup write.
         */
        STRICT;

        /** {@return whether a line of this kind starts a message after an empty line (or at the start)} */
        boolean separatesAfterEmptyLine() {
            return this != TEXT;
        }

        /** {@return whether a line of this kind starts a message even without an empty line before it} */
        boolean separatesAnywhere() {
            return this == STRICT;
        }
    }

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
        "sep", "oct", "nov", "dec"};
    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final String[] MONTH_NAMES = {"january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december"};
    private static final String[] DAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday"};

    /** Zone abbreviations seen in From_ lines, in minutes east of UTC. */
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("ut", 0), Map.entry("utc", 0), Map.entry("gmt", 0), Map.entry("z", 0),
            Map.entry("wet", 0), Map.entry("west", 60), Map.entry("bst", 60), Map.entry("wat", 60),
            Map.entry("cet", 60), Map.entry("met", 60), Map.entry("mez", 60),
            Map.entry("cest", 120), Map.entry("mest", 120), Map.entry("mesz", 120), Map.entry("eet", 120),
            Map.entry("cat", 120), Map.entry("sast", 120), Map.entry("eest", 180), Map.entry("msk", 180),
            Map.entry("eat", 180), Map.entry("msd", 240), Map.entry("pkt", 300), Map.entry("ist", 330),
            Map.entry("ict", 420), Map.entry("wib", 420), Map.entry("hkt", 480), Map.entry("sgt", 480),
            Map.entry("awst", 480), Map.entry("pht", 480), Map.entry("jst", 540), Map.entry("kst", 540),
            Map.entry("acst", 570), Map.entry("aest", 600), Map.entry("acdt", 630), Map.entry("aedt", 660),
            Map.entry("nzst", 720), Map.entry("nzdt", 780),
            Map.entry("hst", -600), Map.entry("akst", -540), Map.entry("akdt", -480),
            Map.entry("pst", -480), Map.entry("pdt", -420), Map.entry("mst", -420), Map.entry("mdt", -360),
            Map.entry("cst", -360), Map.entry("cdt", -300), Map.entry("est", -300), Map.entry("edt", -240),
            Map.entry("ast", -240), Map.entry("adt", -180), Map.entry("brt", -180), Map.entry("art", -180),
            Map.entry("nst", -210), Map.entry("ndt", -150));

    /** A line that starts with {@code From }: its sender, its date if known, and its {@link Kind}. */
    record Parsed(String sender, Instant date, Kind kind) { }

    private FromLineParser() { }

    /**
     * Parses {@code b[start, end)} (the line without its line end).
     *
     * @return the parts, or null if the line does not start with {@code From } or is too long
     */
    static Parsed parse(byte[] b, int start, int end) {
        int len = end - start;
        if (len < 5 || len > MAX_LINE || b[start] != 'F' || b[start + 1] != 'r' || b[start + 2] != 'o'
                || b[start + 3] != 'm' || b[start + 4] != ' ') {
            return null;
        }
        for (int i = start; i < end; i++) {
            if (b[i] == 0 || b[i] == '\n') {
                return new Parsed(null, null, Kind.TEXT);
            }
        }
        String line = new String(b, start + 5, len - 5, StandardCharsets.ISO_8859_1).strip();
        String[] tokens = line.isEmpty() ? new String[0] : line.split("[ \t\r]+");
        if (tokens.length == 0) {
            return new Parsed(null, null, Kind.TEXT);
        }
        if (tokens.length == 1 && tokens[0].equals("-")) {
            return new Parsed("-", null, Kind.STRICT); // Thunderbird's bare "From - "
        }
        // The sender is normally one token; allow up to two more for senders with spaces.
        for (int s = 1; s <= 3 && s < tokens.length; s++) {
            DateParts d = parseDate(tokens, s);
            if (d != null) {
                String sender = String.join(" ", Arrays.copyOfRange(tokens, 0, s));
                boolean strict = tokens[0].equals("-") || (s == 1 || s == 3 && isPipermail(tokens))
                        && isAsctime(tokens, s);
                return new Parsed(sender, d.date, strict ? Kind.STRICT : Kind.DATED);
            }
        }
        if (isPipermail(tokens)) {
            return new Parsed(tokens[0] + " at " + tokens[2], null, Kind.SENDER);
        }
        if (tokens.length == 1 || isAddressLike(tokens[0])) {
            return new Parsed(tokens[0], null, Kind.SENDER);
        }
        return new Parsed(tokens[0], null, Kind.TEXT);
    }

    /**
     * Parses a date as a From_ line or a {@code Date:} header writes it ({@code Mon, 1 Jan 2001
     * 12:00:00 +0100 (CET)}, {@code Mon Jan  1 12:00:00 2001}), leniently.
     *
     * @return the instant, or null when the text is no date, names no existing time, or its zone is unknown
     */
    static Instant date(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        DateParts d = parseDate(s.split("[ \t\r\n]+"), 0);
        return d == null ? null : d.date();
    }

    /** {@code user at host}: pipermail archives hide the @ so. */
    private static boolean isPipermail(String[] tokens) {
        return tokens.length >= 3 && tokens[1].equalsIgnoreCase("at") && !tokens[0].isEmpty()
                && tokens[2].indexOf('.') > 0;
    }

    private static boolean isAddressLike(String t) {
        int at = t.lastIndexOf('@');
        return at > 0 && at < t.length() - 1 || t.equals("-") || t.equalsIgnoreCase(FromLine.UNKNOWN_SENDER);
    }

    /**
     * Whether tokens[from..] are exactly {@code Www Mmm d hh:mm[:ss] [zone] yyyy [zone]}, then the
     * end or {@code remote from ...}.
     */
    private static boolean isAsctime(String[] tokens, int from) {
        int i = from;
        int n = tokens.length;
        if (i + 4 > n || nameIndex(DAYS, DAY_NAMES, lower(tokens[i++])) < 0
                || nameIndex(MONTHS, MONTH_NAMES, lower(tokens[i++])) < 0
                || !isDigits(tokens[i]) || tokens[i++].length() > 2 || time(tokens[i++]) == null) {
            return false;
        }
        if (i < n && isZoneLike(tokens[i])) {
            i++;
        }
        if (i >= n || !isDigits(tokens[i]) || tokens[i++].length() != 4) {
            return false;
        }
        if (i < n && isZoneLike(tokens[i])) {
            i++;
        }
        return i == n || i + 1 < n && tokens[i].equalsIgnoreCase("remote") && tokens[i + 1].equalsIgnoreCase("from");
    }

    /** The date of a From_ line; {@code date} is null when it names no existing instant or its zone is unknown. */
    private record DateParts(Instant date) { }

    /** Returns the date if tokens[from..] form one (null date if it is impossible), or null. */
    private static DateParts parseDate(String[] tokens, int from) {
        int month = -1;
        int day = -1;
        int year = -1;
        int hour = -1;
        int minute = -1;
        int second = 0;
        int offsetMinutes = 0;
        boolean zone = false;
        boolean unknownZone = false;
        boolean weekday = false;
        int end = tokens.length;
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i].equalsIgnoreCase("remote") && i + 1 < tokens.length
                    && tokens[i + 1].equalsIgnoreCase("from")) {
                end = i;
                break;
            }
        }
        List<String> rest = new ArrayList<>();
        for (int i = from; i < end; i++) {
            String t = tokens[i];
            if (t.endsWith(",")) {
                t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty()) {
                rest.add(t);
            }
        }
        for (String t : rest) {
            String lower = lower(t);
            int m;
            if (month < 0 && (m = nameIndex(MONTHS, MONTH_NAMES, lower)) >= 0) {
                month = m + 1;
            } else if (!weekday && month < 0 && day < 0 && nameIndex(DAYS, DAY_NAMES, lower) >= 0) {
                weekday = true;
            } else if (hour < 0 && t.indexOf(':') > 0) {
                int[] hms = time(t);
                if (hms == null) {
                    return null;
                }
                hour = hms[0];
                minute = hms[1];
                second = hms[2];
            } else if (isDigits(t) && t.length() <= 2 && day < 0) {
                day = Integer.parseInt(t);
            } else if (isDigits(t) && t.length() <= 2 && month < 0 && hour < 0 && day >= 1 && day <= 12) {
                // a numeric month before the day, as the original imapbackup.py wrote (%a %m %d)
                month = day;
                day = Integer.parseInt(t);
            } else if (isDigits(t) && t.length() == 4 && year < 0) {
                year = Integer.parseInt(t);
            } else if (!zone && hour >= 0 && zone(t) != NO_ZONE) {
                offsetMinutes = zone(t);
                zone = true;
            } else if (month >= 0 && day >= 0 && year >= 0 && hour >= 0) {
                break; // "moreinfo" after a complete date
            } else if (!zone && hour >= 0 && t.length() <= 5 && isLetters(t)) {
                zone = true; // a zone name we do not know: the date stays unknown
                unknownZone = true;
            } else if (t.startsWith("(") && t.endsWith(")")) {
                continue; // a comment, e.g. "+0100 (CET)"
            } else {
                return null;
            }
        }
        if (month < 0 || day < 0 || year < 0 || hour < 0) {
            return null;
        }
        if (unknownZone) {
            return new DateParts(null);
        }
        try {
            return new DateParts(LocalDateTime.of(year, month, day, hour, minute, second)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)));
        } catch (DateTimeException e) {
            return new DateParts(null);
        }
    }

    private static final int NO_ZONE = Integer.MIN_VALUE;

    /** Minutes east of UTC of {@code +hhmm}, {@code -hh}, {@code +hh:mm} or a known name, else NO_ZONE. */
    private static int zone(String t) {
        if (t.length() >= 3 && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
            String d = t.substring(1).replace(":", "");
            if ((d.length() == 4 || d.length() == 2) && isDigits(d)) {
                int v = Integer.parseInt(d.length() == 2 ? d + "00" : d);
                int minutes = v / 100 * 60 + v % 100;
                return v / 100 <= 14 && v % 100 < 60 ? (t.charAt(0) == '-' ? -minutes : minutes) : NO_ZONE;
            }
            return NO_ZONE;
        }
        Integer z = ZONES.get(lower(t));
        return z == null ? NO_ZONE : z;
    }

    private static boolean isZoneLike(String t) {
        return zone(t) != NO_ZONE || t.length() <= 5 && isLetters(t);
    }

    private static int[] time(String t) {
        String[] p = t.split(":", -1);
        if (p.length < 2 || p.length > 3) {
            return null;
        }
        int[] v = new int[3];
        for (int i = 0; i < p.length; i++) {
            if (p[i].isEmpty() || p[i].length() > 2 || !isDigits(p[i])) {
                return null;
            }
            v[i] = Integer.parseInt(p[i]);
        }
        return v;
    }

    /** Index of a three-letter abbreviation or a full name, or -1. */
    private static int nameIndex(String[] names, String[] full, String lower) {
        for (int i = 0; i < names.length; i++) {
            if (lower.equals(names[i]) || lower.equals(full[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
