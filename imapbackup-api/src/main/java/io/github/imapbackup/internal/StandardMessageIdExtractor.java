package io.github.imapbackup.internal;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The standard Message-ID extractor (see {@link MessageIdExtractor#standard()}). */
public final class StandardMessageIdExtractor implements MessageIdExtractor {

    /** The shared instance. */
    public static final StandardMessageIdExtractor INSTANCE = new StandardMessageIdExtractor();

    private StandardMessageIdExtractor() { }

    @Override
    public MessageIdentity identify(InputStream message) throws IOException {
        throw new UnsupportedOperationException("TODO: identity helper implements this");
    }

    @Override
    public Optional<String> messageId(InputStream header) throws IOException {
        throw new UnsupportedOperationException("TODO: identity helper implements this");
    }
}
