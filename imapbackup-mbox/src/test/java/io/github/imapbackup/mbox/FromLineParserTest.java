package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(5)
class FromLineParserTest {

    private static FromLineParser.Parsed parse(String line) {
        byte[] b = line.getBytes(ISO_8859_1);
        return FromLineParser.parse(b, 0, b.length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "From alice@example.org Sat Nov 21 23:39:50 2026|alice@example.org|2026-11-21T23:39:50Z",
        "From MAILER-DAEMON Thu Jan  1 00:00:00 1970|MAILER-DAEMON|1970-01-01T00:00:00Z",
        "From - Mon Jan  1 00:00:00 2001|-|2001-01-01T00:00:00Z",
        "From 1234567890123456789@xxx Tue Mar 03 10:20:30 +0100 2020|1234567890123456789@xxx|2020-03-03T09:20:30Z",
        "From a@b Sat Jan  3 01:05:34 1996 remote from heaven|a@b|1996-01-03T01:05:34Z",
        "From a@b Mon Jan 1 00:00 2001|a@b|2001-01-01T00:00:00Z",
        "From a@b Mon Jan 1 12:00:00 EST 2001|a@b|2001-01-01T17:00:00Z",
        "From a@b Mon Jan 1 12:00:00 2001 -0500|a@b|2001-01-01T17:00:00Z",
        "From a@b Mon, 1 Jan 2001 12:00:00 +0000|a@b|2001-01-01T12:00:00Z",
        "From a@b  Mon Jan  1 00:00:00 2001|a@b|2001-01-01T00:00:00Z",
        "From a@b Monday January 1 00:00:00 2001|a@b|2001-01-01T00:00:00Z",
    })
    void acceptsCommonFromLines(String line, String sender, String date) {
        FromLineParser.Parsed p = parse(line);
        assertThat(p).as(line).isNotNull();
        assertThat(p.sender()).isEqualTo(sender);
        assertThat(p.date()).isEqualTo(Instant.parse(date));
    }

    @ParameterizedTest
    @ValueSource(strings = {"From here on we go", "From: a@b", "From a@b", "From ", "From a@b Sat Nov 21 2026",
        "From a@b Sat Nov 21 23:39:50", "From a@b yesterday at 10:00 2026", ">From a@b Sat Nov 21 23:39:50 2026",
        "from a@b Sat Nov 21 23:39:50 2026", "From a@b Sat Nov 21 23:39:50 2026 \0",
        "From a@b Marketing 21 23:39:50 2026"})
    void rejectsLinesWithoutADate(String line) {
        assertThat(parse(line)).as(line).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"From a@b Sat Feb 30 23:39:50 2026", "From a@b Sat Nov 21 25:39:50 2026"})
    void impossibleDateStillSeparatesButHasNoInstant(String line) {
        FromLineParser.Parsed p = parse(line);
        assertThat(p).isNotNull();
        assertThat(p.date()).isNull();
    }
}
