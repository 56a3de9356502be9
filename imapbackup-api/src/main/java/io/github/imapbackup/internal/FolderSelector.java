package io.github.imapbackup.internal;

import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import java.util.List;
import java.util.Map;

/** Chooses the folders of a run from the server's list and the session's {@link FolderFilter}. */
final class FolderSelector {

    /**
     * The selection.
     *
     * @param folders the folders to back up, in server order
     * @param problems requested names that cannot be backed up, with the reason
     */
    record Selection(List<FolderInfo> folders, Map<String, String> problems) { }

    private FolderSelector() { }

    static Selection select(List<FolderInfo> listed, EngineConfig config) {
        // an incremental run reads a server; the others read files or a backup directory
        FolderFilter.Selection s = config.folderFilter().select(listed,
                config.policy().incremental() ? "on the server" : "in " + config.source().describe());
        return new Selection(s.folders(), s.missing());
    }
}
