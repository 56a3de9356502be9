package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.message;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.Expected;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.transfer.MboxExporter;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A codec the library does not know: registered on the store builder, or installed as a service. */
@Timeout(30)
class CustomCodecTest {

    @TempDir
    Path dir;

    private static byte[] msg(int i) {
        return message(INBOX.name(), i).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void append(MboxStore store, int from, int to) throws IOException {
        try (FolderArchive a = store.open(INBOX)) {
            assertThat(a.messages()).hasSize(from - 1);
            for (int i = from; i <= to; i++) {
                a.append(newMessage(7, i, msg(i)), new ByteArrayInputStream(msg(i)));
            }
            a.commit();
        }
    }

    private static List<byte[]> readAll(FolderArchive a) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (ArchivedMessage m : a.messages()) {
            try (InputStream in = a.openMessage(m)) {
                out.add(in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void codecGivenToTheBuilderWritesReopensAndAppends() throws IOException {
        CompressionCodec codec = new XorCodec("x7", 7);
        append(MboxStore.builder(dir).codec(codec).build(), 1, 3);
        assertThat(dir.resolve("INBOX.mbox.x7")).isRegularFile();
        // the next run: a new store with the same builder settings
        append(MboxStore.builder(dir).codec(codec).build(), 4, 5);
        try (FolderArchive a = MboxStore.builder(dir).codec(codec).build().openReadOnly(INBOX).orElseThrow()) {
            assertThat(readAll(a)).containsExactly(msg(1), msg(2), msg(3), msg(4), msg(5));
        }
    }

    @Test
    void registeredCodecIsFoundByTheNameItsIndexRecordsAndVerifiesAndExports(@TempDir Path out) throws IOException {
        CompressionCodec codec = new XorCodec("x7", 7);
        append(MboxStore.builder(dir).codec(codec).build(), 1, 3);
        // new files in gzip now; the folder keeps its codec, which the store must know to append
        MboxStore store = MboxStore.builder(dir).codec("gzip").registerCodec(codec).build();
        append(store, 4, 5);
        assertThat(dir.resolve("INBOX.mbox.x7")).isRegularFile();
        assertThat(dir.resolve("INBOX.mbox.gz")).doesNotExist();
        assertThat(store.location(INBOX)).isEqualTo("INBOX.mbox.x7");
        assertThat(store.toBuilder().build().codecs().find("x7")).containsSame(codec);

        assertThat(new BackupVerifier(store).verify().problems()).isEmpty();
        assertThat(new BackupVerifier(store).verify().messages()).isEqualTo(5);

        Path eml = out.resolve("eml");
        assertThat(MboxExporter.builder(store).build().exportEml(eml).hasFailures()).isFalse();
        for (int i = 1; i <= 5; i++) {
            assertThat(eml.resolve("INBOX").resolve(String.format("%06d-%d.eml", i, i))).hasBinaryContent(msg(i));
        }
        Path mbox = out.resolve("mbox");
        io.github.imapbackup.BackupReport exported = MboxExporter.builder(store).build().exportMbox(mbox, Dialect.MBOXRD, codec);
        assertThat(exported.hasFailures()).as(exported.toString()).isFalse();
        Path file = mbox.resolve("INBOX.mbox.x7");
        try (MboxReader r = new MboxReader(codec.decompress(java.nio.file.Files.newInputStream(file)), file, Dialect.MBOXRD)) {
            assertThat(Expected.readAll(r, 8192)).containsExactly(msg(1), msg(2), msg(3), msg(4), msg(5));
        }
    }

    @Test
    void folderWithoutItsIndexIsRebuiltWithTheRegisteredCodecFoundByItsSuffix() throws IOException {
        CompressionCodec codec = new XorCodec("x7", 7);
        append(MboxStore.builder(dir).codec(codec).build(), 1, 3);
        java.nio.file.Files.delete(dir.resolve("INBOX.mbox.index"));
        MboxStore store = MboxStore.builder(dir).registerCodec(codec).build();
        try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
            assertThat(readAll(a)).containsExactly(msg(1), msg(2), msg(3));
        }
    }

    @Test
    void unknownCodecOfAFolderSaysWhichCodecWhichFileAndWhatToDo() throws IOException {
        append(MboxStore.builder(dir).codec(new XorCodec("x7", 7)).build(), 1, 1);
        MboxStore plain = MboxStore.builder(dir).build();
        String expected = dir.resolve("INBOX.mbox.index") + " needs the compression codec \"x7\", which is not"
                + " installed: the installed codecs are none, gzip, bzip2, xz, zstd; add the artifact that provides"
                + " \"x7\" (a service io.github.imapbackup.spi.CompressionCodec), or give the codec to the store with"
                + " MboxStore.Builder.registerCodec";
        assertThatThrownBy(() -> plain.open(INBOX)).isInstanceOf(CodecUnavailableException.class).hasMessage(expected);
        assertThatThrownBy(() -> plain.openReadOnly(INBOX)).isInstanceOf(CodecUnavailableException.class)
                .hasMessage(expected);
        assertThat(new BackupVerifier(dir).verify().problems()).extracting(VerifyReport.Problem::message)
                .containsExactly(expected + "; not checked");
        assertThat(dir.resolve("INBOX.mbox")).doesNotExist();
    }

    @Test
    void builderRefusesACodecNameNobodyProvidesAndTwoCodecsOfOneName() {
        assertThatThrownBy(() -> MboxStore.builder(dir).codec("x7").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("compression codec \"x7\" is not installed");
        assertThat(MboxStore.builder(dir).codec("x7").registerCodec(new XorCodec("x7", 7)).build().codec().name())
                .isEqualTo("x7");
        assertThatThrownBy(() -> MboxStore.builder(dir).registerCodec(new XorCodec("gz", 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clashes with \"gzip\"");
    }

    @Test
    void codecThatSaysItIsUnavailableIsRefusedWhenTheStoreIsBuilt() {
        CompressionCodec absent = new XorCodec("x8", 8) {
            @Override
            public boolean isAvailable() {
                return false;
            }
        };
        assertThatThrownBy(() -> MboxStore.builder(dir).codec(absent).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("compression codec \"x8\"").hasMessageContaining("is not available here")
                .hasCauseInstanceOf(CodecUnavailableException.class);
    }
}
