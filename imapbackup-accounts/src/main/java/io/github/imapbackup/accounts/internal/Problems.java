package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the mistakes of one configuration file, so that all are reported together. */
public final class Problems {

    private final Path file;
    private final List<ConfigException.Problem> list = new ArrayList<>();

    /**
     * A collector for a file.
     *
     * @param file the configuration file
     */
    public Problems(Path file) {
        this.file = file;
    }

    /**
     * Records a mistake.
     *
     * @param line the line, or 0
     * @param column the column, or 0
     * @param key the key's path, or empty
     * @param message what is wrong and what to do
     */
    public void add(int line, int column, String key, String message) {
        list.add(new ConfigException.Problem(file, Math.max(line, 0), Math.max(column, 0), key, message));
    }

    /**
     * Records a mistake at a value.
     *
     * @param at the value
     * @param key the key's path
     * @param message what is wrong and what to do
     */
    public void add(Node at, String key, String message) {
        add(at == null ? 0 : at.line(), at == null ? 0 : at.column(), key, message);
    }

    /** {@return how many mistakes so far} */
    public int size() {
        return list.size();
    }

    /** {@return whether nothing is wrong so far} */
    public boolean isEmpty() {
        return list.isEmpty();
    }

    /**
     * Throws the mistakes, if any, in the order of the file.
     *
     * @throws ConfigException with every mistake
     */
    public void throwIfAny() throws ConfigException {
        if (!list.isEmpty()) {
            List<ConfigException.Problem> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingInt(ConfigException.Problem::line)
                    .thenComparingInt(ConfigException.Problem::column));
            throw new ConfigException(sorted);
        }
    }
}
