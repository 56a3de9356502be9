package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a lost index from an mbox that may have been cut short (docs/FORMAT-index.md, "Opening
 * and repair"): every message this program writes ends with an empty line, so an uncompressed mbox
 * that does not end with one ends in the middle of its last message. That message is set aside
 * into a file beside the mbox (never deleted) instead of being indexed as if it were complete, so
 * the next backup downloads it again while the server has it.
 */
final class TornEnd {

    private static final Logger LOG = LoggerFactory.getLogger(TornEnd.class);

    private TornEnd() { }

    /**
     * Scans the mbox as {@link IndexRebuilder#scan} does; a torn last message of an uncompressed
     * mbox is first moved aside (the caller holds the folder's index lock).
     *
     * @return the records of the new index, last a commit record
     */
    static List<IndexRecord> rebuild(Path mbox, CompressionCodec codec, int maxExpansion, IndexRecord.Header header,
            MessageIdExtractor extractor) throws IOException {
        List<IndexRecord> records = IndexRebuilder.scan(mbox, codec, maxExpansion, header, extractor);
        int last = records.size() - 2; // the last message, before the commit record
        if (!codec.suffix().isEmpty() || last < 1 || !(records.get(last) instanceof IndexRecord.Message m)
                || endsWithEmptyLine(mbox)) {
            return records;
        }
        long from = m.entry().offset;
        Path aside;
        long size;
        try (FileChannel ch = FileSupport.openWrite(mbox)) {
            size = ch.size();
            aside = TailRepair.setAside(ch, mbox, from, size);
        }
        LOG.warn("{}: the index is lost and the mbox ends in the middle of a message (cut short?): its {} bytes"
                + " from byte {} are moved to {}, not deleted; the next backup downloads that message again"
                + " if the server still has it", mbox, size - from, from, aside);
        List<IndexRecord> out = new ArrayList<>(records.subList(0, last));
        IndexRecord.Commit commit = (IndexRecord.Commit) records.get(records.size() - 1);
        out.add(new IndexRecord.Commit(from, from, last - 1, commit.time()));
        return out;
    }

    /** Whether the file's last line is empty ({@code \n\n} at its end). */
    private static boolean endsWithEmptyLine(Path mbox) throws IOException {
        long size = Files.size(mbox);
        if (size < 2) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(2);
        try (FileChannel in = FileChannel.open(mbox, StandardOpenOption.READ)) {
            in.position(size - 2);
            while (b.hasRemaining() && in.read(b) > 0) {
                // read the last two bytes
            }
        }
        return b.get(0) == '\n' && b.get(1) == '\n';
    }
}
