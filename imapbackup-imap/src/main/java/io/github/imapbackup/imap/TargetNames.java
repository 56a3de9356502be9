package io.github.imapbackup.imap;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps an archive's folder to its name on the target account (see docs/ARCHITECTURE.md, "The IMAP
 * target"): the name's segments joined with the target's delimiter, under the prefix when set,
 * INBOX kept as INBOX, special-use folders to the target's own.
 *
 * @param delimiter the target's hierarchy delimiter ({@code LIST "" ""}), or the empty string
 * @param prefix the folder everything goes under (levels in the target's delimiter), or empty
 * @param specialUse the target's special-use folders by attribute (e.g. {@code \Sent} to
 *     {@code Sent Messages}); empty when the target has none, or when mapping is off
 * @param personal the prefix of the target's personal namespace (NAMESPACE), e.g. {@code INBOX.}
 *     on Courier or Cyrus, where every folder lives under INBOX; usually empty
 * @param rules the source's prefix and delimiter as the user gives them, and rename rules
 */
record TargetNames(String delimiter, String prefix, Map<String, String> specialUse, String personal,
        NameRules rules) {

    /** The special-use attributes mapped (RFC 6154), as the archive records them. */
    static final List<String> ATTRIBUTES = List.of("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive");

    /** Well-known top-level names, lower case, for archives that recorded no attributes. */
    private static final Map<String, String> WELL_KNOWN = Map.of(
            "sent", "\\Sent", "sent items", "\\Sent", "sent messages", "\\Sent",
            "drafts", "\\Drafts", "trash", "\\Trash", "deleted items", "\\Trash",
            "junk", "\\Junk", "spam", "\\Junk", "archive", "\\Archive");

    TargetNames {
        specialUse = Map.copyOf(specialUse);
        rules = rules == null ? NameRules.NONE : rules;
    }

    TargetNames(String delimiter, String prefix, Map<String, String> specialUse, String personal) {
        this(delimiter, prefix, specialUse, personal, NameRules.NONE);
    }

    TargetNames(String delimiter, String prefix, Map<String, String> specialUse) {
        this(delimiter, prefix, specialUse, "");
    }

    /** {@return these names with other rules (the source's prefix learned later)} */
    TargetNames with(NameRules other) {
        return new TargetNames(delimiter, prefix, specialUse, personal, other);
    }

    /**
     * Returns the folder's name on the target (decoded; the protocol encodes it).
     *
     * @throws FolderException if a segment of the name holds the target's delimiter, or the target
     *     has no hierarchy and the folder has several levels
     */
    String map(FolderInfo folder) throws FolderException {
        return map(folder, true);
    }

    /** Returns the folder's name on the target by its name alone, never a special-use folder. */
    String plain(FolderInfo folder) throws FolderException {
        return map(folder, false);
    }

    private String map(FolderInfo folder, boolean mapSpecialUse) throws FolderException {
        List<String> segments = segments(folder);
        if (mapSpecialUse && prefix.isEmpty()) {
            String attribute = attribute(folder, segments);
            String special = attribute == null ? null : specialUse.get(attribute);
            if (special != null) {
                return rules.rename(folder.name(), special, delimiter);
            }
        }
        if (segments.get(0).equalsIgnoreCase("INBOX")) {
            segments.set(0, "INBOX");
        }
        if (!prefix.isEmpty()) {
            segments.add(0, prefix);
        }
        if (delimiter.isEmpty()) {
            if (segments.size() > 1) {
                throw new FolderException(folder.name(), "the target account has no folder hierarchy (no"
                        + " delimiter), so this folder of several levels" + (prefix.isEmpty() ? "" : " under the prefix")
                        + " cannot be created there; exclude it or restore without a prefix", null);
            }
            return rules.rename(folder.name(), segments.get(0), delimiter);
        }
        for (String segment : segments.subList(prefix.isEmpty() ? 0 : 1, segments.size())) {
            if (segment.contains(delimiter)) {
                throw new FolderException(folder.name(), "the name part \"" + segment + "\" holds the target's"
                        + " hierarchy delimiter \"" + delimiter + "\", so the folder cannot be created there"
                        + " without splitting it; rename it on the source or exclude it", null);
            }
        }
        String name = String.join(delimiter, segments);
        if (!personal.isEmpty() && !name.equals("INBOX")
                && !name.regionMatches(true, 0, personal, 0, personal.length())) {
            name = personal + name;
        }
        return rules.rename(folder.name(), name, delimiter);
    }

    /** The name's levels: its source prefix stripped, split at the source's delimiter. */
    private List<String> segments(FolderInfo folder) {
        String name = rules.strip(folder.name());
        String sourceDelimiter = rules.delimiter(folder.delimiter());
        if (sourceDelimiter.isEmpty()) {
            return new ArrayList<>(List.of(name));
        }
        return new ArrayList<>(List.of(name.split(Pattern.quote(sourceDelimiter), -1)));
    }

    /** The special-use attribute of a source folder: recorded, else by a well-known top-level name. */
    private static String attribute(FolderInfo folder, List<String> segments) {
        for (String a : folder.attributes()) {
            for (String known : ATTRIBUTES) {
                if (known.equalsIgnoreCase(a)) {
                    return known;
                }
            }
        }
        if (folder.attributes().isEmpty() && segments.size() == 1) {
            return WELL_KNOWN.get(segments.get(0).toLowerCase(Locale.ROOT));
        }
        return null;
    }
}
