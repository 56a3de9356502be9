package io.github.imapbackup.examples.demo;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One message of the sample account.
 *
 * @param folder the folder's full name ({@code .} separates levels, as GreenMail does)
 * @param content the exact bytes
 * @param flags system flags ({@code \Seen}, ...) and keywords
 * @param internalDate the INTERNALDATE
 * @param note what the message demonstrates, or null for an ordinary one
 */
public record SampleMessage(String folder, byte[] content, Set<String> flags, Instant internalDate, String note) {

    /**
     * Validates and copies.
     *
     * @param folder the folder's full name
     * @param content the exact bytes
     * @param flags system flags and keywords
     * @param internalDate the INTERNALDATE
     * @param note what the message demonstrates, or null
     */
    public SampleMessage {
        Objects.requireNonNull(folder, "folder");
        content = content.clone();
        flags = Set.copyOf(flags);
        Objects.requireNonNull(internalDate, "internalDate");
    }

    /** {@return a copy of the bytes} */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** {@return the size in bytes} */
    public int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleMessage m && folder.equals(m.folder) && java.util.Arrays.equals(content, m.content)
                && flags.equals(m.flags) && internalDate.equals(m.internalDate) && Objects.equals(note, m.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(folder, java.util.Arrays.hashCode(content), flags, internalDate);
    }

    @Override
    public String toString() {
        return "SampleMessage[" + folder + ", " + content.length + " bytes, " + flags
                + (note != null ? ", " + note : "") + "]";
    }
}
