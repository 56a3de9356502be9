package io.github.imapbackup.mbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** The records of a folder index file (see {@code docs/FORMAT-index.md}). */
sealed interface IndexRecord {

    /**
     * First line: format version, codec, delimiter, exact folder name; from version 2 also the time
     * from which the index records when messages were archived and marked expunged ({@code since},
     * null in version 1) and the folder's special-use attributes.
     */
    record Header(int version, String codec, String delimiter, String name, Instant since, Set<String> specialUse)
            implements IndexRecord {

        private static final java.util.List<String> SPECIAL_USE = java.util.List.of("\\All", "\\Archive",
                "\\Drafts", "\\Flagged", "\\Important", "\\Junk", "\\Sent", "\\Trash");

        public Header {
            specialUse = Set.copyOf(specialUse);
        }

        /** The special-use attributes (RFC 6154, and {@code \Important} of RFC 8457) among LIST attributes. */
        static Set<String> specialUse(Set<String> attributes) {
            Set<String> out = new java.util.TreeSet<>();
            for (String a : attributes) {
                for (String s : SPECIAL_USE) {
                    if (s.equalsIgnoreCase(a)) {
                        out.add(s);
                    }
                }
            }
            return out;
        }

        /** A header without times or special-use attributes (version 1, or a test's). */
        Header(int version, String codec, String delimiter, String name) {
            this(version, codec, delimiter, name, null, Set.of());
        }
    }

    /** A message appended to the mbox. */
    record Message(IndexEntry entry) implements IndexRecord { }

    /** New flags of the message whose From_ line is at {@code offset}. */
    record Flags(long offset, Set<String> flags) implements IndexRecord { }

    /** New Gmail labels of the message whose From_ line is at {@code offset} (version 3). */
    record Labels(long offset, Set<String> labels) implements IndexRecord {

        public Labels {
            labels = Set.copyOf(labels);
        }
    }

    /**
     * The server expunged the message whose From_ line is at {@code offset}; the archive learned it
     * at {@code time} (null when unknown: written by version 1).
     */
    record Expunged(long offset, Instant time) implements IndexRecord { }

    /** The message at {@code offset} is the server message with this UID. */
    record Adopt(long offset, long uidValidity, long uid, Set<String> flags) implements IndexRecord { }

    /**
     * The exact bytes of the message at {@code offset}, learned from the server's copy, when its
     * entry did not know them (rebuilt from the mbox: {@code nl} unknown); or, with {@code nl}
     * {@link IndexEntry#NEWLINE_CONVERTED}, that its stored bytes (the same length and SHA-256) are
     * another program's form of the server's copy, whose RFC822.SIZE is {@code size}.
     */
    record Exact(long offset, int newline, long length, String sha256, long size) implements IndexRecord { }

    /** The server's state of the folder. */
    record State(long uidValidity, long uidNext, long highestModSeq, long messages) implements IndexRecord { }

    /**
     * Everything before is durable; the mbox is {@code mboxLength} bytes long. Its {@code equals} and
     * {@code hashCode} are written out for the reason {@code FolderIndex.UidKey}'s are: a folder's
     * close compares its last commit with the file's.
     */
    record Commit(long mboxLength, long uncompressedLength, long messages, Instant time) implements IndexRecord {
        @Override
        public boolean equals(Object o) {
            return o instanceof Commit c && c.mboxLength == mboxLength && c.uncompressedLength == uncompressedLength
                    && c.messages == messages && Objects.equals(c.time, time);
        }

        @Override
        public int hashCode() {
            return ((Long.hashCode(mboxLength) * 31 + Long.hashCode(uncompressedLength)) * 31
                    + Long.hashCode(messages)) * 31 + Objects.hashCode(time);
        }
    }
}
