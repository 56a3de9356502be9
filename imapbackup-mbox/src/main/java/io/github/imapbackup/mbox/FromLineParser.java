package io.github.imapbackup.mbox;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recognises From_ lines: {@code From <sender> <date>}, where the sender is one token (an
 * addr-spec, {@code -} or {@code MAILER-DAEMON}) and the date has at least a month name, a day, a
 * time {@code hh:mm[:ss]} and a four-digit year, in any order, optionally with a week day first
 * and a zone ({@code +hhmm}, {@code -hhmm}, {@code UTC}, {@code GMT}, {@code EST}, ...) after the
 * time; anything after a complete date is ignored (qmail's "moreinfo", {@code remote from ...}).
 */
final class FromLineParser {

    /** The longest line considered as a From_ line. */
    static final int MAX_LINE = 4096;

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
        "sep", "oct", "nov", "dec"};
    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    /** A recognised From_ line. */
    record Parsed(String sender, Instant date) { }

    private FromLineParser() { }

    /**
     * Parses {@code b[start, end)} (the line without its line end).
     *
     * @return the parts, or null if this is not a From_ line
     */
    static Parsed parse(byte[] b, int start, int end) {
        int len = end - start;
        if (len < 5 || len > MAX_LINE || b[start] != 'F' || b[start + 1] != 'r' || b[start + 2] != 'o'
                || b[start + 3] != 'm' || b[start + 4] != ' ') {
            return null;
        }
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == 0 || c == '\n') {
                return null;
            }
        }
        String line = new String(b, start + 5, len - 5, StandardCharsets.ISO_8859_1);
        String[] tokens = line.trim().split("[ \t\r]+");
        if (tokens.length < 2 || tokens[0].isEmpty()) {
            return null;
        }
        // The sender is normally one token; allow up to two more for senders with spaces.
        for (int s = 1; s <= 3 && s < tokens.length; s++) {
            Parsed p = parseDate(tokens, s);
            if (p != null) {
                return new Parsed(String.join(" ", java.util.Arrays.copyOfRange(tokens, 0, s)), p.date());
            }
        }
        return null;
    }

    /** Returns a Parsed with a null sender if tokens[from..] form a date; date null if out of range. */
    private static Parsed parseDate(String[] tokens, int from) {
        int month = -1;
        int day = -1;
        int year = -1;
        int hour = -1;
        int minute = -1;
        int second = 0;
        int offsetSeconds = 0;
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
        boolean weekday = false;
        boolean zone = false;
        for (String t : rest) {
            String lower = t.toLowerCase(Locale.ROOT);
            int m;
            if (month < 0 && (m = nameIndex(MONTHS, lower)) >= 0) {
                month = m + 1;
            } else if (!weekday && month < 0 && day < 0 && nameIndex(DAYS, lower) >= 0) {
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
            } else if (isDigits(t) && t.length() == 4 && year < 0) {
                year = Integer.parseInt(t);
            } else if (!zone && hour >= 0 && (t.startsWith("+") || t.startsWith("-"))
                    && t.length() == 5 && isDigits(t.substring(1))) {
                int v = Integer.parseInt(t.substring(1));
                offsetSeconds = (v / 100 * 3600 + v % 100 * 60) * (t.charAt(0) == '-' ? -1 : 1);
                zone = true;
            } else if (!zone && hour >= 0 && namedZone(lower) != Integer.MIN_VALUE) {
                offsetSeconds = namedZone(lower);
                zone = true;
            } else if (month >= 0 && day >= 0 && year >= 0 && hour >= 0) {
                break; // "moreinfo" after a complete date
            } else {
                return null;
            }
        }
        if (month < 0 || day < 0 || year < 0 || hour < 0) {
            return null;
        }
        Instant date;
        try {
            date = LocalDateTime.of(year, month, day, hour, minute, second)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            date = null;
        }
        return new Parsed(null, date);
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

    private static int namedZone(String z) {
        switch (z) {
            case "utc": case "gmt": case "ut": case "z": case "wet":
                return 0;
            case "est": return -5 * 3600;
            case "edt": return -4 * 3600;
            case "cst": return -6 * 3600;
            case "cdt": return -5 * 3600;
            case "mst": return -7 * 3600;
            case "mdt": return -6 * 3600;
            case "pst": return -8 * 3600;
            case "pdt": return -7 * 3600;
            case "cet": return 3600;
            case "cest": return 2 * 3600;
            case "bst": return 3600;
            default:
                return Integer.MIN_VALUE;
        }
    }

    private static final String[] MONTH_NAMES = {"january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december"};
    private static final String[] DAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday"};

    /** Index of a three-letter abbreviation or a full name, or -1. */
    private static int nameIndex(String[] names, String lower) {
        String[] full = names == MONTHS ? MONTH_NAMES : DAY_NAMES;
        for (int i = 0; i < names.length; i++) {
            if (lower.equals(names[i]) || lower.equals(full[i])) {
                return i;
            }
        }
        return -1;
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
}
