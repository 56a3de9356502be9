package io.github.imapbackup.mbox.format;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
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
        "From nobody Fri 12 04 13:47:33 2026|nobody|2026-12-04T13:47:33Z",
    })
    void acceptsCommonFromLines(String line, String sender, String date) {
        FromLineParser.Parsed p = parse(line);
        assertThat(p).as(line).isNotNull();
        assertThat(p.sender()).isEqualTo(sender);
        assertThat(p.date()).isEqualTo(Instant.parse(date));
    }

    @ParameterizedTest
    @ValueSource(strings = {"From here on we go", "From ", "From the desk of the maintainer:", "From me to you",
        "From a@b Sat Nov 21 23:39:50 2026 \0", "From here Marketing 21 23:39:50 2026"})
    void textIsNoSeparator(String line) {
        assertThat(parse(line).kind()).as(line).isEqualTo(FromLineParser.Kind.TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"From: a@b", ">From a@b Sat Nov 21 23:39:50 2026", "from a@b Sat Nov 21 23:39:50 2026"})
    void notAFromLineAtAll(String line) {
        assertThat(parse(line)).as(line).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "From a@b|a@b", "From 1844347792267117879@xxx|1844347792267117879@xxx", "From a@b Sat Nov 21 2026|a@b",
        "From a@b Sat Nov 21 23:39:50|a@b", "From MAILER-DAEMON|MAILER-DAEMON", "From root|root",
        "From a@b yesterday at 10:00 2026|a@b", "From foo at example.org whenever|foo at example.org"})
    void senderWithoutADateSeparatesAfterAnEmptyLineOnly(String line, String sender) {
        FromLineParser.Parsed p = parse(line);
        assertThat(p.kind()).as(line).isEqualTo(FromLineParser.Kind.SENDER);
        assertThat(p.sender()).isEqualTo(sender);
        assertThat(p.date()).isNull();
        assertThat(p.kind().separatesAfterEmptyLine()).isTrue();
        assertThat(p.kind().separatesAnywhere()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
        "From alice@example.org Sat Nov 21 23:39:50 2026", "From - Mon Jan  1 00:00:00 2001", "From - ", "From -",
        "From alice at example.org  Mon Jan  1 10:00:00 2007", "From a@b Mon Jan  1 12:00:00 MET 2001",
        "From a@b Mon Jan  1 12:00:00 2001 +0100", "From a@b Sat Jan  3 01:05:34 1996 remote from heaven",
        "From 1234567890@xxx Mon Jan 01 00:00:00 +0000 2020", "From a@b Mon Jan  1 12:00:00 XYZT 2001"})
    void strictFromLinesSeparateAnywhere(String line) {
        assertThat(parse(line).kind()).as(line).isEqualTo(FromLineParser.Kind.STRICT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"From a@b Mon, 1 Jan 2001 12:00:00 +0000", "From a b@c Mon Jan  1 00:00:00 2001",
        "From a@b Mon Jan  1 00:00:00 2001 and more", "From a@b 1 Jan 2001 12:00"})
    void lenientFromLinesSeparateOnlyAfterAnEmptyLine(String line) {
        assertThat(parse(line).kind()).as(line).isEqualTo(FromLineParser.Kind.DATED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "From a@b Mon Jan  1 12:00:00 MEST 2001|2001-01-01T10:00:00Z",
        "From a@b Mon Jan  1 12:00:00 JST 2001|2001-01-01T03:00:00Z",
        "From a@b Mon Jan  1 12:00:00 2001 NZDT|2000-12-31T23:00:00Z",
        "From a@b Mon Jan  1 12:00:00 +05:30 2001|2001-01-01T06:30:00Z",
        "From a@b Mon Jan  1 12:00:00 -03 2001|2001-01-01T15:00:00Z",
        "From a@b Mon, 1 Jan 2001 12:00:00 +0100 (CET)|2001-01-01T11:00:00Z",
    })
    void knowsZonesBeyondTheUsOnes(String line, String date) {
        assertThat(parse(line).date()).as(line).isEqualTo(Instant.parse(date));
    }

    @Test
    void unknownZoneLeavesTheDateUnknown() {
        FromLineParser.Parsed p = parse("From a@b Mon Jan  1 12:00:00 XYZT 2001");
        assertThat(p.date()).isNull();
        assertThat(p.sender()).isEqualTo("a@b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"From a@b Sat Feb 30 23:39:50 2026", "From a@b Sat Nov 21 25:39:50 2026"})
    void impossibleDateStillSeparatesButHasNoInstant(String line) {
        FromLineParser.Parsed p = parse(line);
        assertThat(p).isNotNull();
        assertThat(p.date()).isNull();
    }
}
