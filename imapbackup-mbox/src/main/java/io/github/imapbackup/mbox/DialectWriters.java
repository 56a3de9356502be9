package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;

/** Opens writers of a dialect for the exporter (TEMPORARY shim until MboxWriter has dialects). */
final class DialectWriters {

    private DialectWriters() { }

    static MboxWriter open(OutputStream out, Dialect dialect) {
        if (dialect != Dialect.MBOXRD) {
            throw new UnsupportedOperationException("dialect " + dialect + " not yet writable");
        }
        return new MboxWriter(out, 0);
    }

    static MboxWriter.Written write(MboxWriter w, String sender, Instant date, InputStream in, long length)
            throws IOException {
        return w.write(sender, date, in);
    }
}
