package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The connection limits: the total and the per-host limit both hold; a release frees both. */
class PermitsTest {

    @Test
    void theTotalAndThePerHostLimitBothHold() {
        Permits p = new Permits(4, 2);
        assertThat(p.cap(9)).isEqualTo(2);
        assertThat(p.tryAcquire("imap.example.org", 2)).isTrue();
        assertThat(p.tryAcquire("IMAP.example.org", 1)).as("the same host in other case").isFalse();
        assertThat(p.tryAcquire("imap.example.net", 2)).isTrue();
        assertThat(p.tryAcquire("third.example.com", 1)).as("the total is spent").isFalse();
        p.release("imap.example.org", 2);
        assertThat(p.tryAcquire("third.example.com", 1)).isTrue();
        assertThat(p.tryAcquire("imap.example.org", 1)).isTrue();
        assertThat(p.peak()).isEqualTo(4);
        assertThat(p.peakOnOneHost()).isEqualTo(2);
    }

    @Test
    void withoutAPerHostLimitOnlyTheTotalCounts() {
        Permits p = new Permits(3, 0);
        assertThat(p.cap(5)).isEqualTo(3);
        assertThat(p.cap(0)).isEqualTo(1);
        assertThat(p.tryAcquire("h", 3)).isTrue();
        assertThat(p.tryAcquire("h", 1)).isFalse();
    }
}
