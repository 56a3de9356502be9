package io.github.imapbackup.mbox;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Run inside a class loader that lacks a codec's library or artifact ({@link CodecInteropTest}):
 * tries what a user would with that codec, and returns what each attempt said. Uses nothing but
 * the library (no test framework), so that the loader needs nothing else.
 */
public final class MissingCodecProbe {

    private MissingCodecProbe() { }

    /**
     * Tries the codec: look-up, availability, compress, a store built with it, a folder written
     * with it opened for writing and read-only, verify.
     *
     * @param codec the codec name
     * @param dir a backup directory whose folder INBOX was written with that codec
     * @return one line per attempt: its result, or the exception class and message
     */
    public static List<String> probe(String codec, String dir) {
        Path root = Path.of(dir);
        FolderInfo inbox = new FolderInfo("INBOX", "/", Set.of(), true);
        List<String> out = new ArrayList<>();
        out.add(attempt(() -> {
            CompressionCodec c = Codecs.byName(codec);
            return "available=" + c.isAvailable() + "; compress: " + attempt(() -> c.compress(new ByteArrayOutputStream()));
        }));
        out.add(attempt(() -> MboxStore.builder(root.resolve("new")).codec(codec).build()));
        out.add(attempt(() -> {
            try (FolderArchive a = MboxStore.builder(root).build().open(inbox)) {
                return a.messages().size();
            }
        }));
        out.add(attempt(() -> {
            Optional<FolderArchive> a = MboxStore.builder(root).build().openReadOnly(inbox);
            a.ifPresent(x -> {
                try {
                    x.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return a.isPresent();
        }));
        out.add(attempt(() -> new BackupVerifier(root).verify().problems()));
        return out;
    }

    /**
     * Returns the names of the installed codecs.
     *
     * @return the names, in order
     */
    public static List<String> installed() {
        return Codecs.all().stream().map(CompressionCodec::name).toList();
    }

    /** A service whose suffix {@code .gz} is gzip's: left out. */
    public static final class ClashingCodec extends XorCodec {
        /** Creates it (the service loader does). */
        public ClashingCodec() {
            super("gz", 1);
        }
    }

    /** A service of its own name and suffix: installed. */
    public static final class OwnCodec extends XorCodec {
        /** Creates it (the service loader does). */
        public OwnCodec() {
            super("x9", 9);
        }
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static String attempt(Attempt a) {
        try {
            return "ok: " + a.run();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
