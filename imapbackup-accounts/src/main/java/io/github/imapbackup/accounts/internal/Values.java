package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.FolderNames;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the values of a configuration file that are more than plain text: durations, sizes, names. */
public final class Values {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]i?b?|b)?",
            Pattern.CASE_INSENSITIVE);

    private Values() { }

    /**
     * Parses a duration: a number of seconds ({@code 120}), a number with units ({@code 500ms},
     * {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 1d}), or ISO-8601 ({@code PT2M}).
     *
     * @param text the text
     * @return the duration, or empty when the text is none of these
     */
    public static Optional<Duration> duration(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        if (t.matches("\\d+(\\.\\d+)?")) {
            return Optional.of(millis(new BigDecimal(t), 1000));
        }
        if (t.regionMatches(true, 0, "PT", 0, 2) || t.regionMatches(true, 0, "P", 0, 1) && t.length() > 1
                && Character.isDigit(t.charAt(1))) {
            try {
                return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        Matcher m = DURATION_PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            total = total.plus(millis(n, unit));
            end = m.end();
            while (end < t.length() && t.charAt(end) == ' ') {
                end++;
            }
            m.region(end, t.length());
        }
        return end == t.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    private static Duration millis(BigDecimal n, long unit) {
        BigDecimal ms = n.multiply(BigDecimal.valueOf(unit));
        return ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) > 0 ? Duration.ofDays(365_000)
                : Duration.ofMillis(ms.longValue());
    }

    /**
     * Parses a size in bytes: a number ({@code 1048576}), or a number with a unit: {@code k},
     * {@code kB} (1000), {@code KiB} (1024), {@code M}, {@code MB}, {@code MiB}, {@code G},
     * {@code GB}, {@code GiB}, {@code B}; any case, a space allowed.
     *
     * @param text the text
     * @return the bytes, or empty when the text is not a size or too large
     */
    public static Optional<Long> bytes(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "b" -> 1;
            case "k", "kb" -> 1000;
            case "ki", "kib" -> 1024;
            case "m", "mb" -> 1000_000;
            case "mi", "mib" -> 1 << 20;
            case "g", "gb" -> 1000_000_000;
            case "gi", "gib" -> 1 << 30;
            default -> -1;
        };
        if (factor < 0) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Optional.empty();
        }
        return Optional.of(value.longValue());
    }

    /**
     * The known key closest to a mistyped one, if any is close: the same but for case, {@code _}
     * or {@code -}, or a few letters apart ({@link FolderNames#similar}).
     *
     * @param key the key as written
     * @param known the keys allowed there
     * @return the suggestion
     */
    public static Optional<String> closest(String key, Collection<String> known) {
        Map<String, String> byNormal = new LinkedHashMap<>();
        known.forEach(k -> byNormal.putIfAbsent(normal(k), k));
        return FolderNames.similar(normal(key), byNormal.keySet()).stream().findFirst().map(byNormal::get);
    }

    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }
}
