package io.github.imapbackup.examples.cli;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks the files given to {@code import} before anything is written: what is missing, empty or no mbox at all. */
final class ImportInputs {

    private ImportInputs() { }

    /**
     * Checks the files.
     *
     * @param files the files (mbox files or Apple Mail bundles)
     * @return the files that hold nothing to import, each with the reason
     * @throws UsageException for a file that does not exist, or a directory that is no Apple Mail bundle
     */
    static Map<Path, String> empty(List<Path> files) {
        Map<Path, String> empty = new LinkedHashMap<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw new UsageException("the file " + f + " does not exist");
            }
            Path mbox = f;
            if (Files.isDirectory(f)) {
                mbox = f.resolve("mbox");
                if (!Files.isRegularFile(mbox)) {
                    throw new UsageException(f + " is a directory, but not an Apple Mail .mbox bundle (it holds no "
                            + "file named mbox); give mbox files, or .mbox bundles");
                }
            }
            String why = emptiness(mbox);
            if (why != null) {
                empty.put(f, f + " is empty (" + why + "): nothing to import, no folder created");
            }
        }
        return empty;
    }

    /** Returns why a file holds no bytes of mail (0 bytes, or compressed nothing), or null when it holds some. */
    private static String emptiness(Path file) {
        try {
            if (Files.size(file) == 0) {
                return "0 bytes";
            }
            CompressionCodec codec = Codecs.detect(file);
            if (codec == Codecs.NONE || !codec.isAvailable()) {
                return null;
            }
            try (InputStream in = codec.decompress(Files.newInputStream(file))) {
                return in.read() < 0 ? codec.name() + " of nothing" : null;
            }
        } catch (IOException e) {
            return null; // the import says what is wrong with it, with the file and offset
        }
    }
}
