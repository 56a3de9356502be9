package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads where a secret is ({@code {file: …}}, {@code {env: …}}, {@code {command: […]}}, or the
 * secret itself as text) and checks, before anything connects, that the file can be read and the
 * variable is set. No message holds what was given as text: it may be the secret.
 */
public final class SecretParsing {

    /** The keys of a secret's map. */
    public static final List<String> KEYS = List.of("file", "env", "command", "timeout");

    private SecretParsing() { }

    /**
     * Reads where a secret is.
     *
     * @param node the value: a map, or the secret itself as text
     * @param key the key's path
     * @param what what the secret is, for messages ("the password")
     * @param cx the file's context
     * @return the source, or empty when it is wrong (reported)
     */
    public static Optional<Credentials.SecretSource> source(Node node, String key, String what, Context cx) {
        if (node instanceof Node.Scalar s && s.type() != Node.Type.NULL) {
            if (s.text().isEmpty()) {
                cx.problems().add(node, key, what + " is empty");
                return Optional.empty();
            }
            cx.warn(node, key, what + " is written in the configuration file, where anyone who can read the file"
                    + " (or a backup of it) sees it: put it in a file readable only by you and write "
                    + "{\"file\": \"PATH\"} (or {\"env\": \"VARIABLE\"}, {\"command\": [...]}) instead"
                    + SecretReading.warnIfOthersCanRead(cx.file(), "; meanwhile, the configuration file")
                            .orElse(""));
            return Optional.of(Credentials.inline(s.text().toCharArray()));
        }
        if (!(node instanceof Node.MapNode)) {
            cx.problems().add(node, key, "expected {file: PATH}, {env: VARIABLE} or {command: [PROGRAM, ARG…]} for "
                    + what + ", not " + node.kind());
            return Optional.empty();
        }
        Fields f = new Fields((Node.MapNode) node, key, cx.problems(), KEYS, "a secret's source");
        List<String> given = new ArrayList<>();
        for (String k : List.of("file", "env", "command")) {
            if (f.has(k)) {
                given.add(k);
            }
        }
        if (given.size() != 1) {
            cx.problems().add(node, key, given.isEmpty()
                    ? "say where " + what + " is: {file: PATH}, {env: VARIABLE} or {command: [PROGRAM, ARG…]}"
                    : "give one of " + String.join(", ", given) + " for " + what + ", not " + given.size());
            return Optional.empty();
        }
        if (f.has("timeout") && !given.get(0).equals("command")) {
            f.problem("timeout", "a timeout applies to a command only");
        }
        switch (given.get(0)) {
            case "file":
                return f.path("file", cx.base()).flatMap(p -> checkedFile(p, f, "file", what, cx))
                        .map(Credentials::passwordFile);
            case "env":
                return env(f, what, cx);
            default:
                return command(f, what, cx);
        }
    }

    private static Optional<Credentials.SecretSource> env(Fields f, String what, Context cx) {
        Optional<String> name = f.text("env");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!SecretReading.isVariableName(name.get())) {
            f.problem("env", "not the name of an environment variable (give the variable's NAME, such as "
                    + "IMAP_PASSWORD, not its value; what was given is not shown here)");
            return Optional.empty();
        }
        String value = System.getenv(name.get());
        if (value == null || value.isEmpty()) {
            f.problem("env", value == null
                    ? "no environment variable of that name is set for " + what + " (set it where the backup runs, e.g."
                            + " in the systemd unit's EnvironmentFile or the cron job; the name is not shown here in"
                            + " case it was the secret itself)"
                    : "the environment variable " + name.get() + " for " + what + " is set, but empty");
            return Optional.empty();
        }
        return Optional.of(Credentials.environment(name.get()));
    }

    private static Optional<Credentials.SecretSource> command(Fields f, String what, Context cx) {
        List<String> argv = new ArrayList<>();
        for (Node n : f.list("command")) {
            if (n instanceof Node.Scalar s && s.type() != Node.Type.NULL && !s.text().isEmpty()) {
                argv.add(s.text());
            } else {
                f.problem("command", "expected a list of the program and its arguments as text, such as "
                        + "[pass, show, mail/alice]");
                return Optional.empty();
            }
        }
        if (argv.isEmpty()) {
            f.problem("command", "no program given: give [PROGRAM, ARG…], such as [pass, show, mail/alice]");
            return Optional.empty();
        }
        if (f.get("command").orElseThrow() instanceof Node.Scalar && argv.get(0).strip().contains(" ")) {
            f.problem("command", "give the program and its arguments as a list, such as [pass, show, mail/alice]"
                    + " (it is run without a shell; for a shell, [sh, -c, \"...\"])");
            return Optional.empty();
        }
        Duration timeout = f.duration("timeout", Duration.ofMillis(1), Duration.ofHours(1))
                .orElse(Credentials.DEFAULT_COMMAND_TIMEOUT);
        return Optional.of(new Credentials.Command(argv, timeout));
    }

    /**
     * Checks that a file named in the configuration can be read now, so that the mistake shows
     * before anything connects; warns when other users may read a secret file.
     *
     * @param file the file
     * @param f the map it is given in
     * @param key its key there
     * @param what what the file holds
     * @param cx the file's context
     * @return the file, or empty when it cannot be read (reported)
     */
    public static Optional<Path> checkedFile(Path file, Fields f, String key, String what, Context cx) {
        return present(file, f, key, what).map(p -> {
            SecretReading.warnIfOthersCanRead(p, "the file for " + what)
                    .ifPresent(w -> cx.warn(f.get(key).orElse(null), f.path(key), w));
            return p;
        });
    }

    /**
     * Checks that a file that is not secret (a certificate, a trust store) can be read now.
     *
     * @param f the map it is given in
     * @param key its key there
     * @param what what the file holds
     * @param cx the file's context
     * @return the file, or empty when absent or it cannot be read (reported)
     */
    public static Optional<Path> readableFile(Fields f, String key, String what, Context cx) {
        return f.path(key, cx.base()).flatMap(p -> present(p, f, key, what));
    }

    private static Optional<Path> present(Path file, Fields f, String key, String what) {
        String problem = !Files.exists(file) ? "does not exist"
                : Files.isDirectory(file) ? "is a directory, not a file"
                : !Files.isReadable(file) ? "cannot be read (permission denied)" : null;
        if (problem != null) {
            f.problem(key, "the file " + file + " for " + what + " " + problem);
            return Optional.empty();
        }
        return Optional.of(file);
    }
}
