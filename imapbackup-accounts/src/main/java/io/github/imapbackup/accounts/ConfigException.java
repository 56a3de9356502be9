package io.github.imapbackup.accounts;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A configuration file has mistakes: each {@link Problem} names the file, the line and column,
 * the key ({@code accounts[2].port}) and what to do. Thrown before anything connects; the
 * command line exits with status 2. Messages never hold a secret.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The mistakes, in the order of the file. */
    private final transient List<Problem> problems;

    /**
     * Creates the exception.
     *
     * @param problems the mistakes, at least one
     */
    public ConfigException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration exception needs at least one problem");
        }
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** {@return the mistakes, in the order of the file} */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * One mistake.
     *
     * @param file the configuration file
     * @param line the line, from 1, or 0 when unknown
     * @param column the column, from 1, or 0 when unknown
     * @param key the key's path, such as {@code accounts[2].port}, or empty for the whole file
     * @param message what is wrong and what to do
     */
    public record Problem(Path file, int line, int column, String key, String message) {

        /**
         * One mistake.
         *
         * @param file the configuration file
         * @param line the line, from 1, or 0 when unknown
         * @param column the column, from 1, or 0 when unknown
         * @param key the key's path, or empty
         * @param message what is wrong and what to do
         */
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }

        /** {@return {@code file:line:column: key: message}, as compilers print it} */
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": "
                    + (key.isEmpty() ? "" : key + ": ") + message;
        }
    }
}
