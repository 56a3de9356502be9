package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A compressor that fails while a member is written (as xz's does when the heap has no room for its
 * encoder, the first time it is given bytes: often only when the member is closed, at the commit)
 * never leaves a commit that names messages the member does not hold: the commit fails, saying
 * why, the archive refuses further commits, and once reopened it holds exactly the messages of the
 * commits before, which verify.
 */
@Timeout(120)
class CompressorFailureTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} messages, {1}, {2}")
    @CsvSource({
        "small, OutOfMemoryError, gzip", // held by the writer until the member closes: the commit fails
        "small, OutOfMemoryError, xz",
        "small, IOException, bzip2",
        "big, OutOfMemoryError, zstd", // handed to the compressor while appended: the append fails
        "big, IOException, gzip",
        "small, LinkageError, gzip", // another error goes on as it is, but nothing is committed either
    })
    void aMemberTheCompressorFailedIsNeverCommitted(String size, String failure, String codecName) throws Exception {
        Random rnd = seeds.random();
        FailingCodec codec = new FailingCodec(Codecs.byName(codecName), failure);
        MboxStore store = MboxStore.builder(dir).codec(codec).build();
        List<ArchivedMessage> committed = new ArrayList<>();
        long uid = 0;
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                byte[] content = StoreFixtures.message(rnd, i);
                a.append(newMessage(1, ++uid, content), new ByteArrayInputStream(content));
            }
            a.commit();
            committed.addAll(a.messages());

            codec.failNext = true;
            Throwable thrown = null;
            try {
                for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                    byte[] content = size.equals("big") ? big(rnd) : StoreFixtures.message(rnd, i);
                    a.append(newMessage(1, ++uid, content), new ByteArrayInputStream(content));
                }
                a.commit();
            } catch (BackupException | Error e) {
                thrown = e;
            }
            assertThat(codec.failed).as("the compressor failed").isTrue();
            assertThat(thrown).as("the failure is thrown").isNotNull();
            if (failure.equals("LinkageError") && size.equals("small")) {
                assertThat(thrown).isInstanceOf(LinkageError.class);
            } else {
                assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining("INBOX")
                        .hasMessageContaining(failure.equals("OutOfMemoryError") ? "out of memory while compressing with "
                                + codecName + "-failing" : "disk says no");
            }
            assertThatThrownBy(a::commit).as("a later commit").isInstanceOf(BackupException.class)
                    .hasMessageContaining("must be reopened");
        } catch (BackupException e) {
            // closing after the failure: the archive says it had one
        }
        codec.failNext = false;
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(a.messages()).as("reopened").isEqualTo(committed);
            for (ArchivedMessage m : a.messages()) {
                try (InputStream in = a.openMessage(m)) {
                    assertThat(StoreFixtures.sha256(in.readAllBytes())).isEqualTo(m.sha256());
                }
            }
        }
        BackupVerifier.Result r = new BackupVerifier(store).verify();
        assertThat(r.problems()).isEmpty();
        assertThat(r.messages()).isEqualTo(committed.size());
    }

    /** A message larger than the writer's buffer, so its bytes reach the compressor while appended. */
    private static byte[] big(Random rnd) {
        StringBuilder b = new StringBuilder("Message-ID: <big" + rnd.nextLong() + "@example.org>\r\nFrom: a@example.org\r\n\r\n");
        while (b.length() < 200_000) {
            b.append(Long.toString(rnd.nextLong(), 36)).append(rnd.nextInt(9) == 0 ? "\r\n" : " ");
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A codec whose next member's compressor fails whenever it is given bytes. */
    private static final class FailingCodec implements CompressionCodec {
        private final CompressionCodec real;
        private final Supplier<Throwable> failure;
        volatile boolean failNext;
        volatile boolean failed;

        FailingCodec(CompressionCodec real, String failure) {
            this.real = real;
            this.failure = switch (failure) {
                case "OutOfMemoryError" -> () -> new OutOfMemoryError("Java heap space");
                case "IOException" -> () -> new IOException("disk says no");
                default -> () -> new LinkageError("a class could not be loaded");
            };
        }

        @Override
        public String name() {
            return real.name() + "-failing"; // a codec of its own: the store refuses two of one name
        }

        @Override
        public String suffix() {
            return real.suffix() + "f";
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public boolean matches(byte[] signature, int length) {
            return real.matches(signature, length);
        }

        @Override
        public OutputStream compress(OutputStream out) throws IOException {
            OutputStream c = real.compress(out);
            if (!failNext) {
                return c;
            }
            return new FilterOutputStream(c) {

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    fail();
                    out.write(b, off, len);
                }

                @Override
                public void write(int b) throws IOException {
                    fail();
                    out.write(b);
                }

                @Override
                public void close() throws IOException {
                    out.close(); // as xz's after a failed write: the member closes, without what failed
                }

                private void fail() throws IOException {
                    failed = true;
                    Throwable t = failure.get();
                    if (t instanceof IOException io) {
                        throw io;
                    }
                    throw (Error) t;
                }
            };
        }

        @Override
        public InputStream decompress(InputStream in) throws IOException {
            return real.decompress(in);
        }
    }
}
