package io.github.imapbackup.internal;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the folders of a run from the server's list and the session's filters. */
final class FolderSelector {

    private static final Logger LOG = LoggerFactory.getLogger(FolderSelector.class);

    /**
     * The selection.
     *
     * @param folders the folders to back up, in server order
     * @param problems requested names that cannot be backed up, with the reason
     */
    record Selection(List<FolderInfo> folders, Map<String, String> problems) { }

    private FolderSelector() { }

    static Selection select(List<FolderInfo> listed, EngineConfig session) {
        Map<String, FolderInfo> byName = new LinkedHashMap<>();
        listed.forEach(f -> byName.putIfAbsent(f.name(), f));
        Map<String, String> problems = new LinkedHashMap<>();
        List<FolderInfo> candidates;
        if (session.folders().isEmpty()) {
            candidates = new ArrayList<>(byName.values());
        } else {
            candidates = new ArrayList<>();
            for (String name : session.folders()) {
                FolderInfo f = lookup(byName, name);
                if (f == null) {
                    problems.put(name, FolderNames.notFound(name, byName.keySet(), "on the server"));
                } else if (!f.selectable()) {
                    problems.put(name, "folder \"" + name + "\" cannot be selected (it holds only other folders)");
                } else if (!candidates.contains(f)) {
                    candidates.add(f);
                }
            }
            candidates.sort((a, b) -> Integer.compare(listed.indexOf(a), listed.indexOf(b)));
        }
        List<FolderInfo> chosen = new ArrayList<>();
        for (FolderInfo f : candidates) {
            if (!f.selectable()) {
                LOG.debug("folder \"{}\" skipped: not selectable", f.name());
            } else if (session.subscribedOnly() && !f.subscribed()) {
                LOG.debug("folder \"{}\" skipped: not subscribed", f.name());
            } else if (excluded(f.name(), session.excludes())) {
                LOG.debug("folder \"{}\" skipped: excluded", f.name());
            } else {
                chosen.add(f);
            }
        }
        return new Selection(List.copyOf(chosen), problems);
    }

    /** The folder of a requested name: the exact name, or the INBOX for INBOX in any case. */
    private static FolderInfo lookup(Map<String, FolderInfo> byName, String name) {
        FolderInfo f = byName.get(name);
        if (f == null && FolderNames.isInbox(name)) {
            f = byName.values().stream().filter(i -> FolderNames.isInbox(i.name())).findFirst().orElse(null);
        }
        return f;
    }

    private static boolean excluded(String name, List<Pattern> excludes) {
        return excludes.stream().anyMatch(p -> FolderNames.matches(p, name));
    }
}
