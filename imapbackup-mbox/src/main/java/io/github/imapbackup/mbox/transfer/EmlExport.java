package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.MessageRejectedException;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Each message as an {@code .eml} file with its exact bytes: {@code OUT/<folder>/NNNNNN-UID.eml}
 * (position in the folder, six digits, then the UID; 0 for imported messages). A file that holds
 * the same bytes already counts as held; any other existing file is never overwritten (the
 * message fails). Each file is written under a temporary name and moved into place when complete.
 */
final class EmlExport extends ExportTarget {

    EmlExport(BackupArchive archive, Path outDir, CodecRegistry codecs) {
        super(archive, outDir, codecs);
    }

    /** {@return the file name of a message} */
    static String name(StoredMessage m) {
        return String.format(Locale.ROOT, "%06d-%d.eml", m.position(), m.message().uid());
    }

    @Override
    TargetFolder open(FolderInfo folder, boolean readOnly) throws BackupException {
        Path dir = base(folder);
        Entries entries = new Entries(messages(folder));
        List<StoredMessage> all = entries.all();
        for (int i = 0; i < all.size(); i++) {
            Path file = dir.resolve(name(all.get(i)));
            try {
                if (Files.isRegularFile(file) && sha256(file).equals(all.get(i).message().sha256())) {
                    entries.hold(i);
                }
            } catch (IOException e) {
                throw new BackupException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (!readOnly) {
            try {
                FileSupport.createDirectories(dir);
            } catch (IOException e) {
                throw cannotWrite(dir, e);
            }
        }
        return new Folder(folder, dir, entries);
    }

    /** One folder's directory of {@code .eml} files. */
    private final class Folder extends Output {

        private final Path dir;
        private boolean appended;

        Folder(FolderInfo folder, Path dir, Entries entries) {
            super(folder, entries);
            this.dir = dir;
        }

        @Override
        public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
            int guess = next(message);
            Path file = dir.resolve(name(entries.get(guess)));
            try {
                if (Files.exists(file)) {
                    // that message alone fails; the export goes on
                    throw new MessageRejectedException("cannot write " + file + ": " + file
                            + ": exists with other content; not overwritten");
                }
                try (PartialFile tmp = PartialFile.start(file)) {
                    String sha;
                    try (DigestOutputStream out = new DigestOutputStream(tmp.out(), digest())) {
                        content.transferTo(out);
                        out.flush();
                        sha = HexFormat.of().formatHex(out.getMessageDigest().digest());
                    }
                    int actual = entries.confirm(guess, sha);
                    if (actual < 0) {
                        throw new IntegrityException(file, entries.get(guess).message().offset(),
                                entries.get(guess).message().uid(),
                                "the message's bytes do not match the SHA-256 in the index");
                    }
                    file = dir.resolve(name(entries.get(actual)));
                    tmp.finishAs(file, false);
                    appended = true;
                    return entries.get(actual).message();
                }
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        }

        @Override
        public void commit() {
            // each file is complete once moved into place
        }

        @Override
        public boolean abort() {
            aborted(folder, appended ? "(partly)" : "(not started)");
            return false;
        }

        @Override
        public void close() {
            // nothing held open
        }
    }
}
