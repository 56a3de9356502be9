package io.github.imapbackup.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the header record of an open, locked folder index crash-safely, in place (the file and
 * its lock stay): the new index is written to {@code Q3.mbox.itmp}, made durable and renamed to the
 * journal {@code Q3.mbox.inew}; then it is copied over the index {@code Q3.mbox.index} and the
 * journal is deleted. A crash leaves either the old index (and perhaps a partial {@code .itmp},
 * which is dropped) or a complete journal, which {@link #recover} copies over the index on the next
 * open. The suffixes are no longer than {@code .index}, so they fit every name the index fits.
 */
final class IndexRewrite {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRewrite.class);

    private IndexRewrite() { }

    static Path journal(Path indexFile) {
        return sibling(indexFile, ".inew");
    }

    private static Path temp(Path indexFile) {
        return sibling(indexFile, ".itmp");
    }

    private static Path sibling(Path indexFile, String suffix) {
        String name = indexFile.getFileName().toString();
        return indexFile.resolveSibling(name.substring(0, name.length() - FolderPaths.INDEX_SUFFIX.length()) + suffix);
    }

    /** Finishes a rewrite that a crash interrupted; call with the index locked, before reading it. */
    static void recover(FileChannel index, Path indexFile) throws IOException {
        Files.deleteIfExists(temp(indexFile));
        Path journal = journal(indexFile);
        if (!Files.isRegularFile(journal)) {
            return;
        }
        LOG.debug("{}: finishing an interrupted rewrite from {}", indexFile, journal);
        copyOver(journal, index, indexFile);
    }

    /**
     * Replaces the header record, keeping the records after it up to {@code validEnd}.
     *
     * @param index the index, open for writing and locked
     * @param validEnd the end of the committed records
     */
    static void replaceHeader(FileChannel index, Path indexFile, IndexRecord.Header header, long validEnd)
            throws IOException {
        long headerEnd = firstLineEnd(index);
        Path temp = temp(indexFile);
        try (FileChannel out = FileSupport.openWrite(temp, false)) {
            out.truncate(0);
            write(out, ByteBuffer.wrap(IndexFormat.line(header)));
            long pos = headerEnd;
            while (pos < validEnd) {
                pos += index.transferTo(pos, validEnd - pos, out);
            }
            out.force(true);
        }
        Path journal = journal(indexFile);
        Files.move(temp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileSupport.syncDirectory(indexFile.getParent());
        copyOver(journal, index, indexFile);
    }

    private static void copyOver(Path journal, FileChannel index, Path indexFile) throws IOException {
        try (FileChannel in = FileChannel.open(journal, StandardOpenOption.READ)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                pos += index.transferFrom(in, pos, size - pos);
            }
            index.truncate(size);
            index.force(true);
        }
        Files.delete(journal);
        FileSupport.syncDirectory(indexFile.getParent());
    }

    private static long firstLineEnd(FileChannel index) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(8192);
        long pos = 0;
        while (true) {
            bb.clear();
            int n = index.read(bb, pos);
            if (n < 0) {
                throw new IOException("the index has no complete header line");
            }
            for (int i = 0; i < n; i++) {
                if (bb.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
    }

    private static void write(FileChannel ch, ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }
}
