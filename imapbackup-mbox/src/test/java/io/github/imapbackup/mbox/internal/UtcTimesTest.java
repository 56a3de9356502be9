package io.github.imapbackup.mbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The index's and the From_ lines' times are exactly the JDK's, for every second and beyond the fast path. */
class UtcTimesTest {

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private List<Instant> instants() {
        Random rnd = seeds.random();
        List<Instant> out = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1),
                Instant.parse("1999-12-31T23:59:59Z"), Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("2100-03-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0999-06-15T01:02:03Z"),
                Instant.parse("2026-11-21T23:39:50.5Z"), Instant.ofEpochSecond(1, 1), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 100_000; i++) {
            long s = switch (i % 4) {
                case 0 -> rnd.nextLong(4_102_444_800L); // 1970 to 2100
                case 1 -> rnd.nextLong(-62_167_219_200L, 253_402_300_800L + 86_400L * 800); // year 0 to 10002
                case 2 -> rnd.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
                default -> rnd.nextLong(4_102_444_800L) / 86_400 * 86_400 + (rnd.nextBoolean() ? 0 : 86_399);
            };
            out.add(Instant.ofEpochSecond(s, i % 97 == 0 ? rnd.nextInt(1_000_000_000) : 0));
        }
        return out;
    }

    /** Parses {@code s} from the middle of a longer buffer, as the index reader does. */
    private static Instant parse(String s) {
        byte[] b = ("M " + s + " -").getBytes(StandardCharsets.ISO_8859_1);
        return UtcTimes.parseIso(b, 2, b.length - 2);
    }

    @Test
    void isoIsInstantToString() {
        for (Instant t : instants()) {
            assertThat(UtcTimes.iso(t)).as("%s", t.getEpochSecond()).isEqualTo(t.toString());
        }
    }

    @Test
    void asctimeIsTheFormattersText() {
        for (Instant t : instants()) {
            String want;
            try {
                want = ASCTIME.format(t);
            } catch (DateTimeException e) {
                continue; // beyond what the formatter prints: the same exception below
            }
            assertThat(UtcTimes.asctime(t)).as("%s", t.getEpochSecond()).isEqualTo(want);
        }
        assertThat(FromLine.asctime(Instant.parse("2026-11-21T23:39:50Z"))).isEqualTo("Sat Nov 21 23:39:50 2026");
        assertThat(FromLine.asctime(Instant.parse("2026-12-05T01:02:03Z"))).isEqualTo("Sat Dec  5 01:02:03 2026");
    }

    @Test
    void parseIsoReadsWhatIsoWrites() {
        for (Instant t : instants()) {
            String text = t.toString();
            assertThat(parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void parseIsoRefusesWhatTheShortFormCannotHold() {
        Random rnd = seeds.random();
        for (int i = 0; i < 20_000; i++) {
            String s = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02dZ", rnd.nextInt(10_000),
                    rnd.nextInt(15), rnd.nextInt(34), rnd.nextInt(26), rnd.nextInt(62), rnd.nextInt(62));
            Instant want;
            try {
                want = LocalDateTime.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
                        Integer.parseInt(s.substring(8, 10)), Integer.parseInt(s.substring(11, 13)),
                        Integer.parseInt(s.substring(14, 16)), Integer.parseInt(s.substring(17, 19)))
                        .toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                assertThatThrownBy(() -> parse(s)).as(s).isInstanceOf(DateTimeException.class);
                continue;
            }
            assertThat(parse(s)).as(s).isEqualTo(want);
        }
        assertThatThrownBy(() -> parse("2026-11-21T23:59:60Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> parse("2026-1a-21T23:59:00Z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("yesterday")).isInstanceOf(DateTimeException.class);
    }
}
