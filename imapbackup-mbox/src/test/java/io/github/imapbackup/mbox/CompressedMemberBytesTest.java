package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compressed mbox written by the store, whose members are compressed on a thread of their own, is
 * byte for byte the file that writing each member straight into the codec's compressor on the
 * writing thread gives: the same members (the empty one a new file starts with, then one per
 * commit), the same compressed bytes.
 */
@Timeout(120)
class CompressedMemberBytesTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void theStoreWritesTheBytesOfAOneThreadWrite(String name) throws IOException {
        CompressionCodec codec = Codecs.byName(name);
        Random rnd = seeds.random();
        List<List<byte[]>> commits = new ArrayList<>();
        for (int c = 1 + rnd.nextInt(3); c > 0; c--) {
            List<byte[]> group = new ArrayList<>();
            for (int m = 1 + rnd.nextInt(12); m > 0; m--) {
                group.add(rnd.nextInt(8) == 0 ? big(rnd) : StoreFixtures.message(rnd, m));
            }
            commits.add(group);
        }
        MboxStore store = MboxStore.builder(dir).codec(codec).build();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (OutputStream empty = codec.compress(expected)) { // a new compressed mbox starts with an empty member
            empty.flush(); // as ArchiveOpener writes it
        }
        long uid = 0;
        for (int run = 0; run < 2; run++) { // a second run appends members to the same file
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                for (List<byte[]> group : commits) {
                    OutputStream member = codec.compress(expected);
                    MboxWriter oneThread = new MboxWriter(member, 0);
                    for (byte[] content : group) {
                        uid += 2; // even UIDs carry their sender, so the reference needs no sniffing
                        FolderArchive.NewMessage m = newMessage(1, uid, content);
                        a.append(m, new ByteArrayInputStream(content));
                        oneThread.write(m.sender(), m.internalDate(), new ByteArrayInputStream(content));
                    }
                    oneThread.close();
                    a.commit();
                }
            }
        }
        byte[] written = Files.readAllBytes(dir.resolve(store.location(INBOX)));
        assertThat(written).as(name + ": " + uid / 2 + " messages in " + 2 * commits.size() + " members")
                .isEqualTo(expected.toByteArray());
    }

    /** A message larger than the pipe's buffers. */
    private static byte[] big(Random rnd) {
        byte[] head = ("Message-ID: <big" + rnd.nextInt() + "@example.org>\r\nFrom: a@example.org\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = CompressorPipeTest.text(rnd, CompressorPipe.BUFFER_SIZE + rnd.nextInt(CompressorPipe.BUFFER_SIZE));
        byte[] b = new byte[head.length + body.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(body, 0, b, head.length, body.length);
        return b;
    }
}
