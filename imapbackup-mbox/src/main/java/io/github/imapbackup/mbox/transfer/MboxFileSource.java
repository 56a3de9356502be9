package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A foreign mbox file read as a {@link MessageSource} of one folder, for an import through the
 * engine: its messages, in file order, have their positions (1, 2, ..) as UIDs. The folder the
 * engine opens is kept, so that the importer can ask it for the reader's warnings afterwards.
 */
final class MboxFileSource implements MessageSource {

    private final java.nio.file.Path file;
    private final FolderInfo folder;
    private final Dialect dialect;
    private final BooleanSupplier stopped;
    private final int maxExpansion;
    private volatile MboxFileFolder opened;

    /**
     * Creates the source.
     *
     * @param file the mbox file (or Apple Mail bundle directory)
     * @param folder the folder its messages go to
     * @param dialect the dialect to read it in, or null to detect it
     * @param stopped says when reading is to stop before the next message (cancelled, interrupted)
     */
    MboxFileSource(java.nio.file.Path file, FolderInfo folder, Dialect dialect, BooleanSupplier stopped) {
        this(file, folder, dialect, io.github.imapbackup.mbox.codec.Codecs.DEFAULT_MAX_EXPANSION, stopped);
    }

    /** Creates the source, with a limit on how far a compressed file may expand (0: none). */
    MboxFileSource(java.nio.file.Path file, FolderInfo folder, Dialect dialect, int maxExpansion,
            BooleanSupplier stopped) {
        this.maxExpansion = maxExpansion;
        this.file = Objects.requireNonNull(file, "file");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.dialect = dialect;
        this.stopped = Objects.requireNonNull(stopped, "stopped");
    }

    @Override
    public SourceConnection connect() {
        return new Connection();
    }

    @Override
    public String describe() {
        return file.toString();
    }

    /** {@return the folder the engine opened, or null when it opened none} */
    MboxFileFolder opened() {
        return opened;
    }

    /** A "connection" to the file: nothing is opened before a folder is. */
    private final class Connection implements SourceConnection {

        @Override
        public List<FolderInfo> folders() {
            return List.of(folder);
        }

        @Override
        public FolderStatus status(FolderInfo f) {
            MboxFileFolder o = opened;
            return o != null ? o.status() : new FolderStatus(0, 0, 0, 0);
        }

        @Override
        public SourceFolder open(FolderInfo f, MessageIdExtractor extractor) {
            MboxFileFolder o = new MboxFileFolder(f, file, dialect, maxExpansion, extractor, stopped);
            opened = o;
            return o;
        }

        @Override
        public boolean hasCapability(String capability) {
            return false;
        }

        @Override
        public void close() {
            // nothing open
        }
    }
}
