package io.github.imapbackup.accounts;

import io.github.imapbackup.accounts.internal.SecretReading;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Files that hold a secret (a password, a token, a client secret) on their first line, read the
 * same way wherever a program takes one: the configuration's {@code {file: PATH}} and the command
 * line's {@code --password-file} alike. At most 64 KiB are read; messages name the file, never
 * what it holds.
 *
 * <pre>{@code
 * SecretFiles.exposure(file, "the password file").ifPresent(System.err::println);
 * char[] password = SecretFiles.firstLine(file, "the password file");
 * }</pre>
 */
public final class SecretFiles {

    private SecretFiles() { }

    /**
     * Reads the first line of a file, without its line end. Says nothing about who may read the
     * file: ask {@link #exposure}.
     *
     * @param file the file
     * @param what what the file is, for messages ({@code "the password file"})
     * @return the secret; the caller owns the array and should overwrite it once used
     * @throws CredentialsException naming the file when it is missing, unreadable, a directory, or
     *     its first line is empty
     */
    public static char[] firstLine(Path file, String what) throws CredentialsException {
        return SecretReading.read(file, what);
    }

    /**
     * Says whether users other than its owner may read a secret file: a warning naming the file,
     * who may read it and the {@code chmod} that mends it; once per file in a run.
     *
     * @param file the file
     * @param what what the file is, for the warning ({@code "the password file"})
     * @return the warning, or empty when only its owner may read it, the file system has no POSIX
     *     permissions, or the file was warned about already
     */
    public static Optional<String> exposure(Path file, String what) {
        return SecretReading.warnIfOthersCanRead(file, what);
    }
}
