package io.github.imapbackup.accounts;

import io.github.imapbackup.accounts.internal.Context;
import io.github.imapbackup.accounts.internal.Formats;
import io.github.imapbackup.accounts.internal.NativeFormat;
import io.github.imapbackup.accounts.internal.Node;
import io.github.imapbackup.accounts.internal.OriginalFormat;
import io.github.imapbackup.accounts.internal.TreeReader;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a configuration file into a {@link BackupConfig}: this program's format in YAML
 * ({@code .yaml}, {@code .yml}) or JSON ({@code .json}; other names by their first character),
 * or the original multi-account script's {@code config.json} as it is, told apart by its keys.
 * Every key is documented in {@code docs/CONFIG.md}.
 *
 * <p>Every mistake is reported with the file, line, column and key ({@code accounts[2].port}),
 * all of them at once: unknown keys (with the closest known one), wrong types, missing or
 * out-of-range values, unknown names (codec, layout, security, provider), two accounts with the
 * same name or directory, and files that cannot be read (password files, certificates) or
 * environment variables that are not set, so that the run stops before anything connects. Relative
 * paths are resolved against the configuration file's directory. What is allowed but unwise
 * (passwords written in the file, plain IMAP, a password file other users can read) comes back in
 * {@link BackupConfig#warnings()}.
 *
 * <pre>{@code
 * BackupConfig config;
 * try {
 *     config = ConfigReader.read(Path.of("/etc/imapbackup/config.yaml"));
 * } catch (ConfigException e) {
 *     System.err.println(e.getMessage());      // one line per mistake: file:line:column: key: what to do
 *     return 2;
 * }
 * config.warnings().forEach(w -> System.err.println("WARNING: " + w));
 * }</pre>
 */
public final class ConfigReader {

    private ConfigReader() { }

    /**
     * Reads a configuration file. Reads the file and checks that the files it names can be read;
     * connects to nothing and runs no command.
     *
     * @param file the file
     * @return the configuration, with its warnings
     * @throws ConfigException with every mistake found
     */
    public static BackupConfig read(Path file) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Context cx = Context.of(file);
        Node root = TreeReader.read(file, cx.problems());
        cx.problems().throwIfAny();
        if (!(root instanceof Node.MapNode map)) {
            cx.problems().add(root, "", "expected a map of keys (destination, accounts, …) at the top, not "
                    + root.kind());
            cx.problems().throwIfAny();
            throw new IllegalStateException("unreachable");
        }
        boolean original = Formats.isOriginal(map, cx);
        cx.problems().throwIfAny();
        BackupConfig.Builder b = original ? OriginalFormat.read(map, cx) : NativeFormat.read(map, cx);
        cx.problems().throwIfAny();
        cx.warnings().forEach(b::warning);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            cx.problems().add(0, 0, "", e.getMessage());
            cx.problems().throwIfAny();
            throw e;
        }
    }
}
