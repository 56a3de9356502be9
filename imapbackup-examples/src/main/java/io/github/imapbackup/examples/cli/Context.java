package io.github.imapbackup.examples.cli;

import java.io.PrintStream;
import java.util.Objects;

/**
 * What every command of one program run shares: its output streams and environment.
 *
 * @param out where results go (statistics, listings, reports)
 * @param err where progress, warnings and errors go
 * @param env the environment
 * @param secrets the values of secret options, never to be shown
 */
record Context(PrintStream out, PrintStream err, Environment env, Secrets secrets) {

    /** Validates. */
    Context {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(secrets, "secrets");
    }

    /** A context without secret options. */
    Context(PrintStream out, PrintStream err, Environment env) {
        this(out, err, env, Secrets.none());
    }
}
