package io.github.imapbackup.mbox.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.Expected;
import io.github.imapbackup.mbox.format.MessageGenerator;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class MboxWriterDialectTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final Pattern RD = Pattern.compile("(?m)^(>*From )");
    private static final Pattern O = Pattern.compile("(?m)^From ");
    private static final Instant DATE = Instant.parse("2026-11-21T23:39:50Z");

    /** The file bytes the writer must produce, by a line-based reference implementation. */
    private static String reference(String m, Dialect d) {
        String quoted = d == Dialect.MBOXRD ? RD.matcher(m).replaceAll(">$1") : O.matcher(m).replaceAll(">From ");
        boolean added = m.isEmpty() || !m.endsWith("\n");
        return "From a@b Sat Nov 21 23:39:50 2026\n" + quoted + (added ? "\n" : "") + "\n";
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"MBOXRD", "MBOXO"})
    void writesWhatTheReferenceQuotingGives(Dialect d) throws IOException {
        long seed = seeds.pick();
        MessageGenerator gen = new MessageGenerator(seed);
        for (int i = 0; i < 500; i++) {
            String m = new String(gen.message(), ISO_8859_1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MboxWriter w = new MboxWriter(out, 0, d)) {
                InputStream1 in = new InputStream1(m.getBytes(ISO_8859_1), 1 + gen.random().nextInt(9));
                MboxWriter.Written written = w.write("a@b", DATE, in);
                assertThat(written.length()).isEqualTo(m.length());
                assertThat(written.sha256()).isEqualTo(Expected.sha256(m.getBytes(ISO_8859_1)));
            }
            assertThat(Expected.show(out.toByteArray())).as("seed %d message %d", seed, i)
                    .isEqualTo(Expected.show(reference(m, d).getBytes(ISO_8859_1)));
        }
    }

    @Test
    void defaultConstructorWritesMboxrd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MboxWriter w = new MboxWriter(out, 0)) {
            assertThat(w.dialect()).isEqualTo(Dialect.MBOXRD);
            w.write("a@b", DATE, new ByteArrayInputStream(">From x\nFrom y".getBytes(ISO_8859_1)));
        }
        assertThat(out.toString(ISO_8859_1)).isEqualTo("From a@b Sat Nov 21 23:39:50 2026\n>>From x\n>From y\n\n");
    }

    @Test
    void mboxcl2PutsContentLengthFirstAndQuotesNothing() throws IOException {
        byte[] m = "Subject: x\r\nContent-Length: 1\r\n\r\nFrom here\r\n>From there\r\n".getBytes(ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MboxWriter w = new MboxWriter(out, 0, Dialect.MBOXCL2)) {
            w.write("a@b", DATE, new ByteArrayInputStream(m), m.length);
        }
        assertThat(out.toString(ISO_8859_1)).isEqualTo("From a@b Sat Nov 21 23:39:50 2026\nContent-Length: 24\r\n"
                + "Subject: x\r\nContent-Length: 1\r\n\r\nFrom here\r\n>From there\r\n\n");
    }

    @Test
    void mboxclCannotBeWritten() {
        assertThatThrownBy(() -> new MboxWriter(new ByteArrayOutputStream(), 0, Dialect.MBOXCL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mboxcl2");
    }

    @Test
    void mboxcl2NeedsTheLength() throws IOException {
        try (MboxWriter w = new MboxWriter(new ByteArrayOutputStream(), 0, Dialect.MBOXCL2)) {
            assertThatThrownBy(() -> w.write("a@b", DATE, new ByteArrayInputStream(new byte[0])))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void wrongAnnouncedLengthIsReported() throws IOException {
        try (MboxWriter w = new MboxWriter(new ByteArrayOutputStream(), 0, Dialect.MBOXCL2)) {
            assertThatThrownBy(() -> w.write("a@b", DATE, new ByteArrayInputStream("S: x\n\nabc\n".getBytes(ISO_8859_1)), 99))
                    .isInstanceOf(BackupException.class).hasMessageContaining("99");
        }
    }

    @Test
    void mboxcl2RefusesAHeaderSectionOverOneMebibyte() throws IOException {
        byte[] m = ("X: " + "y".repeat(MboxWriter.MAX_HEADER) + "\n\nbody\n").getBytes(ISO_8859_1);
        try (MboxWriter w = new MboxWriter(new ByteArrayOutputStream(), 0, Dialect.MBOXCL2)) {
            assertThatThrownBy(() -> w.write("a@b", DATE, new ByteArrayInputStream(m), m.length))
                    .isInstanceOf(BackupException.class).hasMessageContaining("header section");
        }
    }

    /** Returns at most n bytes per read. */
    private static final class InputStream1 extends ByteArrayInputStream {
        private final int n;

        InputStream1(byte[] b, int n) {
            super(b);
            this.n = n;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, n));
        }
    }
}
