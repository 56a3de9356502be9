package io.github.imapbackup.imap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one target folder has shown of the keywords it takes, when its PERMANENTFLAGS offer
 * {@code \*} (so any keyword may be asked for, and the server may still refuse one at APPEND):
 * those an APPEND stored, and those a refusal was traced to (the message was taken once the
 * keyword was left out). Keywords compare without regard to case, as IMAP flags do.
 */
final class TargetKeywords {

    private final Set<String> taken = new HashSet<>();
    private final Set<String> refused = new HashSet<>();

    /** {@return whether a refusal was traced to this keyword} */
    boolean refused(String flag) {
        return refused.contains(key(flag));
    }

    /**
     * {@return the keywords of {@code flags} no APPEND of this folder stored yet, longest first;
     * none when {@code wildcard} is false (PERMANENTFLAGS then name every keyword the folder takes)}
     */
    List<String> untried(Set<String> flags, boolean wildcard) {
        List<String> result = new ArrayList<>();
        if (!wildcard) {
            return result;
        }
        for (String f : flags) {
            if (!f.startsWith("\\") && !taken.contains(key(f))) {
                result.add(f);
            }
        }
        result.sort(Comparator.comparingInt(String::length).reversed());
        return result;
    }

    /** Records the keywords of flags an APPEND stored. */
    void take(Set<String> flags) {
        flags.stream().filter(f -> !f.startsWith("\\")).forEach(f -> taken.add(key(f)));
    }

    /** Records a keyword a refusal was traced to. */
    void refuse(String keyword) {
        refused.add(key(keyword));
    }

    private static String key(String flag) {
        return flag.toLowerCase(Locale.ROOT);
    }
}
