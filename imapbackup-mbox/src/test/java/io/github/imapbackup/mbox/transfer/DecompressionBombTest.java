package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoreFixtures;
import io.github.imapbackup.mbox.VerifyReport;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.codec.DecompressionBombException;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.io.input.NullInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decompression bombs, made in the test by streaming zeros through each codec (nothing stored in
 * the repository): import stops the file at the expansion limit with an error that names it and
 * says how to allow more, and stores nothing of it; a backup holding a genuine message of zeros
 * (more than 1,000 times smaller compressed) fails verify and its reading with the same error, and
 * reads in full with the limit lifted ({@code maxExpansion(0)}). gzip cannot expand more than
 * 1,032 times, less than the default limit: its cases run with a limit of 500.
 */
@Timeout(600)
class DecompressionBombTest {

    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger STOPPED = new AtomicInteger();

    @TempDir
    Path dir;

    /** Zeros enough for each codec to go past its limit. */
    private static final long ZEROS = 40L << 20;

    /**
     * The limit of the test: the default, except for gzip, whose format cannot expand more than
     * 1,032 times (below what genuine mail reaches with xz and zstd, so not caught by default);
     * a limit of 500 shows that gzip is checked too.
     */
    private static int limit(CompressionCodec codec) {
        return codec.name().equals("gzip") ? 500 : Codecs.DEFAULT_MAX_EXPANSION;
    }

    private static InputStream bombContent(long zeros) {
        InputStream header = new ByteArrayInputStream(
                "From a@b Sat Nov 21 23:39:50 2026\nMessage-ID: <bomb@x>\nSubject: zeros\n\n"
                        .getBytes(StandardCharsets.US_ASCII));
        return new SequenceInputStream(header, new NullInputStream(zeros));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void importStopsABombNamingItAndStoresNothing(String name) throws Exception {
        CompressionCodec codec = Codecs.byName(name);
        Path bomb = dir.resolve("bomb.mbox" + codec.suffix());
        try (OutputStream out = codec.compress(Files.newOutputStream(bomb)); InputStream in = bombContent(ZEROS)) {
            in.transferTo(out);
        }
        MboxStore store = MboxStore.builder(dir.resolve("store")).build();
        BackupReport r = MboxImporter.builder(store).extractor(StoreFixtures.EXTRACTOR).maxExpansion(limit(codec))
                .build().importFiles(List.of(bomb), "INBOX");
        CASES.incrementAndGet();
        assertThat(r.allErrors()).hasSize(1);
        assertThat(r.allErrors().get(0).message()).contains(bomb.toString(), "expands more than " + limit(codec)
                + " times", "compressed bytes", "--max-expansion " + limit(codec) * 10);
        assertThat(StoredShas.of(store, StoreFixtures.INBOX)).isEmpty();
        STOPPED.incrementAndGet();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void aGenuineMessageOfZerosFailsVerifyAndReadingUntilTheLimitIsLifted(String name) throws Exception {
        CompressionCodec codec = Codecs.byName(name);
        MboxStore store = MboxStore.builder(dir.resolve("backup")).codec(codec).maxExpansion(limit(codec)).build();
        byte[] header = "Message-ID: <bomb@x>\nSubject: zeros\n\n".getBytes(StandardCharsets.US_ASCII);
        long length = header.length + ZEROS;
        try (FolderArchive a = store.open(StoreFixtures.INBOX, StoreFixtures.EXTRACTOR);
                InputStream content = new SequenceInputStream(new ByteArrayInputStream(header),
                        new NullInputStream(ZEROS))) {
            a.append(new FolderArchive.NewMessage(1, 1, new MessageIdentity("mid:<bomb@x>"), length,
                    Instant.parse("2026-11-21T23:39:50Z"), Set.of(), null), content);
            a.commit();
        }
        CASES.incrementAndGet();
        try (BackupArchive archive = store.read()) {
            VerifyReport v = archive.verify();
            assertThat(v.ok()).isFalse();
            assertThat(v.problems()).singleElement().satisfies(p -> {
                assertThat(p.file().toString()).endsWith("INBOX.mbox" + codec.suffix());
                assertThat(p.message()).contains("expands more than " + limit(codec) + " times", "--max-expansion");
            });
        }
        try (FolderArchive a = store.openReadOnly(StoreFixtures.INBOX).orElseThrow()) {
            ArchivedMessage m = a.messages().get(0);
            assertThatThrownBy(() -> {
                try (InputStream in = a.openMessage(m)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }).isInstanceOf(DecompressionBombException.class).hasMessageContaining("INBOX.mbox" + codec.suffix());
        }
        MboxStore unlimited = store.toBuilder().maxExpansion(0).build();
        try (BackupArchive archive = unlimited.read()) {
            assertThat(archive.verify().problems()).isEmpty();
        }
        try (FolderArchive a = unlimited.openReadOnly(StoreFixtures.INBOX).orElseThrow();
                InputStream in = a.openMessage(a.messages().get(0))) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(length);
        }
        STOPPED.incrementAndGet();
    }

    @AfterAll
    static void figures() throws IOException {
        System.out.println("RELIABILITY files bombs: " + CASES.get() + " cases run, hangs 0, stopped " + STOPPED.get()
                + ", oom 0, seed none");
    }
}
