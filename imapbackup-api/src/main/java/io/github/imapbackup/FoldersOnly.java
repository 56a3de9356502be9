package io.github.imapbackup;

import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A source that lists its folders and no message: a run over it creates the target's folder tree
 * and copies nothing ({@link MigrateSession.Builder#justFolders(boolean)}, imapsync's
 * {@code --justfolders}).
 *
 * @param source the source whose folders are listed
 */
record FoldersOnly(MessageSource source) implements MessageSource {

    @Override
    public SourceConnection connect() throws BackupException {
        SourceConnection c = source.connect();
        return new SourceConnection() {
            @Override
            public List<FolderInfo> folders() throws BackupException {
                return c.folders();
            }

            @Override
            public FolderStatus status(FolderInfo folder) throws BackupException {
                return c.status(folder);
            }

            @Override
            public SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) {
                return new Empty(folder);
            }

            @Override
            public String personalPrefix() throws BackupException {
                return c.personalPrefix();
            }

            @Override
            public boolean hasCapability(String capability) {
                return c.hasCapability(capability);
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public String describe() {
        return source.describe() + " (folders only)";
    }

    /** A folder without messages; it is not even selected on the source. */
    private record Empty(FolderInfo folder) implements SourceFolder {

        @Override
        public FolderStatus status() {
            return new FolderStatus(0, 0, 1, 0);
        }

        @Override
        public List<MessageInfo> messages(long fromUid) {
            return List.of();
        }

        @Override
        public long[] uids() {
            return new long[0];
        }

        @Override
        public Map<Long, Set<String>> flags(long modSeq) {
            return Map.of();
        }

        @Override
        public InputStream openMessage(long uid) throws BackupException {
            throw new BackupException("folder \"" + folder.name() + "\": no message is read when only folders are copied",
                    null);
        }

        @Override
        public void close() {
            // nothing open
        }
    }
}
