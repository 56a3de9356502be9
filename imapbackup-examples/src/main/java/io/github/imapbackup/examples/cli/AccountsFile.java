package io.github.imapbackup.examples.cli;

import io.github.imapbackup.accounts.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The accounts of {@code migrate --accounts FILE}: one {@code user1;password1;user2;password2}
 * line per account, as imapsync users keep them (a trailing {@code ;} is allowed); {@code #}
 * comments and blank lines are skipped. Messages name the file and line, never a password.
 */
final class AccountsFile {

    private AccountsFile() { }

    /**
     * One account.
     *
     * @param line the line number in the file
     * @param user1 the login on host1
     * @param password1 its password
     * @param user2 the login on host2
     * @param password2 its password
     */
    record Account(int line, String user1, Credential password1, String user2, Credential password2) {

        /** {@return {@code alice -> alice2 (line 3)}, never a password} */
        String describe() {
            return user1 + " -> " + user2 + " (line " + line + ")";
        }
    }

    /**
     * Reads the accounts.
     *
     * @param file the file
     * @param err where a warning about the file's permissions goes
     * @return the accounts, in file order
     * @throws UsageException naming the file and line of a malformed line, or if there is none
     */
    static List<Account> read(Path file, java.io.PrintStream err) {
        String problem = FileProblem.ofReadableFile(file);
        if (problem != null) {
            throw new UsageException("--accounts: the file " + file + " " + problem);
        }
        SecretFiles.exposure(file, "the file").ifPresent(w -> err.println("WARNING: --accounts: " + w
                + " (it holds passwords)."));
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--accounts: the file " + file + " " + FileProblem.of(e));
        }
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            accounts.add(parse(file, i + 1, lines.get(i)));
        }
        if (accounts.isEmpty()) {
            throw new UsageException("--accounts: the file " + file + " holds no account (lines "
                    + "user1;password1;user2;password2)");
        }
        return accounts;
    }

    private static Account parse(Path file, int n, String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        String[] f = line.split(";", -1);
        int fields = f.length == 5 && f[4].isBlank() ? 4 : f.length; // imapsync's files end lines with ;
        String where = "--accounts: " + file + " line " + n + ": ";
        if (fields != 4) {
            throw new UsageException(where + "expected user1;password1;user2;password2 (4 fields separated by ;),"
                    + " found " + f.length + " (the line is not shown: it holds passwords)");
        }
        String user1 = f[0].strip();
        String user2 = f[2].strip();
        if (user1.isEmpty() || user2.isEmpty() || f[1].isEmpty() || f[3].isEmpty()) {
            throw new UsageException(where + "a user or password is empty (the line is not shown: it holds passwords)");
        }
        String origin = "file " + file + " line " + n;
        return new Account(n, user1, new Credential.Password(f[1].toCharArray(), origin), user2,
                new Credential.Password(f[3].toCharArray(), origin));
    }
}
