package io.github.imapbackup.examples.cli;

import java.io.PrintStream;
import java.util.Objects;

/**
 * What every command of one program run shares: its output streams and environment.
 *
 * @param out where results go (statistics, listings, reports)
 * @param err where progress, warnings and errors go
 * @param env the environment
 */
record Context(PrintStream out, PrintStream err, Environment env) {

    /** Validates. */
    Context {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(env, "env");
    }
}
