package io.github.imapbackup.spi;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.internal.StandardMessageIdExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Derives a message's identity from its header section. One extractor serves both sides (server
 * headers and stored bytes), so the same message always gets the same identity.
 *
 * <pre>{@code
 * MessageIdExtractor extractor = MessageIdExtractor.standard();
 * try (InputStream in = Files.newInputStream(eml)) {
 *     MessageIdentity id = extractor.identify(in);
 * }
 * }</pre>
 */
public interface MessageIdExtractor {

    /**
     * Returns the standard extractor: the first Message-ID field wins, folded lines are unfolded,
     * comments and white space are removed; without a usable Message-ID the identity is a SHA-256
     * of the normalized header section.
     *
     * @return the shared, thread-safe standard extractor
     */
    static MessageIdExtractor standard() {
        return StandardMessageIdExtractor.INSTANCE;
    }

    /**
     * Reads the header section (up to and including the first empty line, or to the end) and
     * returns the identity. Reads nothing of the body; does not close the stream.
     *
     * @param message a stream positioned at the start of the message (or of its header section)
     * @return the identity
     * @throws IOException if the stream fails
     */
    MessageIdentity identify(InputStream message) throws IOException;

    /**
     * Returns the normalized first Message-ID of a header section, if it has a usable one. A
     * header section that holds only the Message-ID fields is fine (IMAP
     * {@code BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]}).
     *
     * @param header a stream positioned at the start of a header section
     * @return the normalized Message-ID, e.g. {@code <abc@example.org>}
     * @throws IOException if the stream fails
     */
    Optional<String> messageId(InputStream header) throws IOException;
}
