package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.internal.Decompression;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds a lost index by scanning the mbox: identity, length and SHA-256 of each message; UID and
 * UIDVALIDITY 0, so the engine matches the messages by identity and stores nothing twice.
 */
final class IndexRebuilder {

    private IndexRebuilder() { }

    /**
     * Scans an mbox and returns the records of a fresh index (header, messages, commit).
     *
     * @param mbox the mbox file
     * @param codec its codec
     * @param maxExpansion how far the compressed mbox may expand (0: no limit)
     * @param header the header of the new index
     * @param extractor derives identities
     * @return the records, last a commit record
     */
    static List<IndexRecord> scan(Path mbox, CompressionCodec codec, int maxExpansion, IndexRecord.Header header,
            MessageIdExtractor extractor) throws IOException {
        List<IndexRecord> out = new ArrayList<>();
        out.add(header);
        MessageDigest sha = sha256();
        long physical = Files.size(mbox);
        boolean compressed = !codec.suffix().isEmpty();
        CountingStream counted;
        try {
            counted = new CountingStream(new BufferedInputStream(
                    Decompression.open(codec, Files.newInputStream(mbox), mbox, maxExpansion, 0, 0), 1 << 16));
        } catch (MalformedMboxException e) {
            throw damaged(compressed, mbox, 0, e); // bzip2 decodes its first block at once
        }
        List<IndexEntry> entries = new ArrayList<>();
        long total;
        try (MboxReader reader = new MboxReader(counted, mbox)) {
            for (MboxEntry m = reader.next(); m != null; m = reader.next()) {
                closeLast(entries, m.offset());
                entries.add(describe(m, extractor, sha, compressed ? 0 : -1, compressed ? 0 : -1));
            }
            total = counted.count();
            closeLast(entries, total);
        } catch (MalformedMboxException e) {
            throw damaged(compressed, mbox, counted.count(), e);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            if (!compressed) {
                throw e;
            }
            throw unreadable(mbox, counted.count(), e);
        }
        for (IndexEntry e : entries) {
            out.add(new IndexRecord.Message(e));
        }
        out.add(new IndexRecord.Commit(physical, total, entries.size(),
                Instant.ofEpochSecond(Instant.now().getEpochSecond())));
        return out;
    }

    /** A compressed mbox that cannot be read to its end: said in words, with what to do. */
    private static MalformedMboxException unreadable(Path mbox, long read, IOException e) {
        String what = e instanceof MalformedMboxException m ? m.detail()
                : "the compressed data is damaged or cut short (" + Decompression.reason(e) + ")";
        return new MalformedMboxException(mbox, read, what + "; so no index can be rebuilt from it (its content"
                + " cannot be read beyond byte " + read + "); move the file away, and the next backup downloads"
                + " the folder again (keep the moved file: it may hold mail the server no longer has)", e);
    }

    /**
     * The decompressor's failure (a MalformedMboxException keeping the codec's IOException as its
     * cause) with the remedy; the reader's own findings and a decompression bomb as they are.
     */
    private static MalformedMboxException damaged(boolean compressed, Path mbox, long read, MalformedMboxException e) {
        return compressed && e.getCause() instanceof IOException && !(e.getCause() instanceof BackupException)
                ? unreadable(mbox, read, e) : e;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * Reads one message of an mbox and describes it as a rebuilt index does: UID 0, identity,
     * exact length and SHA-256 of its content, {@code nl} unknown; its end is not known yet.
     */
    static IndexEntry describe(MboxEntry m, MessageIdExtractor extractor, MessageDigest sha,
            long memberStart, long memberUStart) throws IOException {
        sha.reset();
        CountingStream length = new CountingStream(m.content());
        MessageIdentity id;
        try (InputStream content = new DigestInputStream(length, sha)) {
            id = extractor.identify(content);
            content.transferTo(OutputStream.nullOutputStream());
        }
        return new IndexEntry(0, 0, id, m.offset(), Long.MAX_VALUE, length.count(),
                HexFormat.of().formatHex(sha.digest()), length.count(), m.date().orElse(Instant.EPOCH),
                IndexEntry.NEWLINE_UNKNOWN, memberStart, memberUStart, Set.of(), false, null);
    }

    /** Sets the end of the last entry of the list (if any) to {@code end}. */
    static void closeLast(List<IndexEntry> entries, long end) {
        if (!entries.isEmpty()) {
            IndexEntry e = entries.get(entries.size() - 1);
            entries.set(entries.size() - 1, new IndexEntry(e.uidValidity, e.uid, e.identity, e.offset, end,
                    e.length, e.sha256, e.size, e.internalDate, e.newline, e.memberStart,
                    e.memberUncompressedStart, e.flags, e.expunged, e.archivedAt));
        }
    }
}
