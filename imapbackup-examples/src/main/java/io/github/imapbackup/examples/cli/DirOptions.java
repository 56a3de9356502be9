package io.github.imapbackup.examples.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of the commands that write a backup directory: where, compression, layout. */
final class DirOptions {

    /** The names {@code --compress} accepts (and {@code -z} consumes when one follows it). */
    static final Set<String> CODEC_NAMES = Set.of("none", "gzip", "bzip2", "xz", "zstd", "gz", "bz2", "zst");

    @Option(names = {"-d", "--dir", "--mbox-dir"}, paramLabel = "DIR",
            description = "The backup directory (default: the current directory).")
    Path dir;

    @Option(names = {"-z", "--compress"}, paramLabel = "none|gzip|bzip2|xz|zstd", arity = "0..1",
            fallbackValue = "gzip", parameterConsumer = CompressionConsumer.class,
            description = "Compress new mbox files; -z alone means gzip (default: none, or what "
                    + "existing files use).")
    String compress;

    @Option(names = "--layout", paramLabel = "nested|flat",
            description = "File layout of a new backup directory: nested (Archive/2019.mbox, the default) "
                    + "or flat (Archive.2019.mbox, as the original script). An existing directory keeps "
                    + "its own (recorded, or detected); asking for the other one is refused.")
    Layout layout;

    /** How folder names become file names. */
    enum Layout {
        /** One directory per hierarchy level. */
        NESTED,
        /** Segments joined by dots. */
        FLAT
    }

    /** Returns the directory, the current one when none was given. */
    Path dirOrDefault() {
        return dir != null ? dir : Path.of(".");
    }

    /**
     * Consumes the value of {@code -z}/{@code --compress} only when it names a codec, so that
     * {@code -z FILE} means gzip and then a file. An unknown name after {@code --compress=} fails.
     */
    static final class CompressionConsumer implements IParameterConsumer {

        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String value = "gzip";
            if (!args.isEmpty() && CODEC_NAMES.contains(args.peek().toLowerCase(Locale.ROOT))) {
                value = args.pop().toLowerCase(Locale.ROOT);
            }
            argSpec.setValue(value);
        }
    }
}
