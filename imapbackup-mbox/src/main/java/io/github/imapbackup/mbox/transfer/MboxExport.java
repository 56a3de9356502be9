package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.internal.Decompression;
import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.internal.Senders;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.TargetFolder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each folder as one mbox file in a dialect and codec: {@code OUT/<folder>.mbox<suffix>}. The file
 * is whole or absent: written under a temporary name and moved into place when the folder's pass
 * finished ({@link TargetFolder#close()}); a pass that did not finish removes it
 * ({@link TargetFolder#abort()}). An existing file that holds exactly what would be written holds
 * every message; any other existing file is never overwritten (the folder fails).
 */
final class MboxExport extends ExportTarget {

    private static final Logger LOG = LoggerFactory.getLogger(MboxExport.class);
    private static final int SNIFF = 64 * 1024;

    private final Dialect dialect;
    private final CompressionCodec codec;

    MboxExport(BackupArchive archive, Path outDir, CodecRegistry codecs, Dialect dialect, CompressionCodec codec) {
        super(archive, outDir, codecs);
        this.dialect = dialect;
        this.codec = codec;
    }

    @Override
    TargetFolder open(FolderInfo folder, boolean readOnly) throws BackupException {
        Path base = base(folder);
        Path file = base.resolveSibling(base.getFileName() + ".mbox" + codec.suffix());
        Entries entries = new Entries(messages(folder));
        if (Files.exists(file)) {
            // a repeated (or resumed) export: a file holding exactly what would be written is done
            if (!same(file, entries.all())) {
                throw new FolderException(folder.name(), file
                        + ": exists with other content; not overwritten (remove it or export elsewhere)", null);
            }
            for (int i = 0; i < entries.all().size(); i++) {
                entries.hold(i);
            }
        }
        Folder f = new Folder(folder, file, entries, readOnly || Files.exists(file));
        if (!f.untouched) {
            try {
                f.start(); // the file is being written from now on, an empty folder's too
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        }
        return f;
    }

    /** Returns whether an existing mbox file holds (uncompressed) exactly what would be written. */
    private boolean same(Path file, List<StoredMessage> messages) throws BackupException {
        MessageDigest want = digest();
        try (MboxWriter w = new MboxWriter(new DigestOutputStream(OutputStream.nullOutputStream(), want), 0,
                dialect)) {
            for (StoredMessage m : messages) {
                try (InputStream in = archive.open(m)) {
                    write(w, m.message(), null, in);
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: what the export would write cannot be computed: {}", file, e.toString());
            return false;
        }
        MessageDigest have = digest();
        try (InputStream in = Decompression.open(codec, Files.newInputStream(file), file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                have.update(buf, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("{} cannot be read as {}: {}", file, codec.name(), e.toString());
            return false;
        }
        return MessageDigest.isEqual(want.digest(), have.digest());
    }

    /** Writes one message; the sender is sniffed from its header when not given. */
    private static MboxWriter.Written write(MboxWriter w, ArchivedMessage m, String sender, InputStream content)
            throws IOException {
        BufferedInputStream in = new BufferedInputStream(content, SNIFF);
        String from = sender != null ? sender : Senders.sniff(in, SNIFF);
        return w.write(from, m.internalDate(), in, m.length());
    }

    /** One folder's mbox file, written as the engine appends. */
    private final class Folder extends Output {

        private final Path file;
        /** Whether nothing is written: a dry run, or the file exists and holds everything. */
        private final boolean untouched;
        private PartialFile tmp;
        private OutputStream out;
        private MboxWriter writer;
        private boolean closed;

        Folder(FolderInfo folder, Path file, Entries entries, boolean untouched) {
            super(folder, entries);
            this.file = file;
            this.untouched = untouched;
        }

        @Override
        public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
            if (untouched) {
                throw new IllegalStateException(file + " is not written");
            }
            int i = next(message);
            ArchivedMessage m = entries.get(i).message();
            try {
                MboxWriter.Written written = write(writer, m, message.sender(), content);
                if (!written.sha256().equals(m.sha256())) {
                    throw new IntegrityException(file, written.offset(), m.uid(),
                            "the message's bytes do not match the SHA-256 in the index");
                }
                return m;
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        }

        private void start() throws IOException {
            if (tmp == null) {
                FileSupport.createDirectories(file.getParent());
                tmp = PartialFile.start(file);
                out = codec.compress(tmp.out());
                writer = new MboxWriter(out, 0, dialect);
            }
        }

        @Override
        public void commit() {
            // the file is moved into place whole, when the folder's pass finished
        }

        @Override
        public boolean abort() throws BackupException {
            boolean partial = tmp != null;
            closed = true;
            try {
                if (tmp != null) {
                    try {
                        out.close();
                    } catch (IOException e) {
                        LOG.debug("{}: closing the unfinished file failed", file, e);
                    }
                    tmp.close();
                }
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
            aborted(folder, partial ? "(its file was not finished and was removed)" : "(partly)");
            return true;
        }

        @Override
        public void close() throws BackupException {
            if (closed || untouched) {
                return;
            }
            closed = true;
            try {
                writer.close();
                out.close();
                tmp.finish(true);
            } catch (IOException e) {
                throw cannotWrite(file, e);
            } finally {
                try {
                    tmp.close();
                } catch (IOException e) {
                    LOG.debug("{}: removing the temporary file failed", file, e);
                }
            }
        }
    }
}
