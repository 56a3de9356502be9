package io.github.imapbackup.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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

    /**
     * Checks that a backup directory to read exists.
     *
     * @param dir the directory
     * @throws UsageException naming it when it does not exist or is not a directory
     */
    static void requireExisting(Path dir) {
        if (!Files.exists(dir)) {
            throw new UsageException("--dir: the backup directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--dir: " + dir + " is not a directory (give the backup directory)");
        }
    }

    /**
     * Checks that a directory to read holds a backup: at least one folder (an index, or an mbox
     * file the original script wrote without one).
     *
     * @param dir the directory
     * @param store its store
     * @throws UsageException when it holds none
     * @throws io.github.imapbackup.BackupException if the directory cannot be listed
     */
    static void requireBackup(Path dir, io.github.imapbackup.mbox.MboxStore store)
            throws io.github.imapbackup.BackupException {
        try (io.github.imapbackup.mbox.BackupArchive archive = store.read()) {
            if (!archive.folders().isEmpty()) {
                return;
            }
        }
        throw new UsageException("no backup in " + dir + ": it holds no folder index and no mbox file (give the "
                + "backup directory with --dir)");
    }

    /** Returns the directory, the current one when none was given. */
    Path dirOrDefault() {
        return dir != null ? dir : Path.of(".");
    }

    /**
     * Consumes the value of {@code -z}/{@code --compress} only when it names a codec, so that
     * {@code -z FILE} means gzip and then a file (of a command that takes files). Any other word
     * after it, in a command that takes no files, is an unknown codec, named with the valid ones.
     */
    static final class CompressionConsumer implements IParameterConsumer {

        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String value = "gzip";
            if (!args.isEmpty()) {
                String next = args.peek();
                if (CODEC_NAMES.contains(next.toLowerCase(Locale.ROOT))) {
                    value = args.pop().toLowerCase(Locale.ROOT);
                } else if (!next.startsWith("-") && commandSpec.positionalParameters().isEmpty()) {
                    throw new ParameterException(commandSpec.commandLine(), "-z/--compress: unknown codec '" + next
                            + "'; the codecs are none, gzip, bzip2, xz and zstd (-z alone means gzip)");
                }
            }
            argSpec.setValue(value);
        }
    }
}
