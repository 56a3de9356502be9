package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values given to secret options on the command line, taken from the raw arguments before
 * parsing, so that no message (picocli's own included) and no report ever shows one, whatever
 * the user put there by mistake.
 */
final class Secrets {

    /** Long options whose value is a secret or may be one (a password pasted where a name or path belongs). */
    static final Set<String> OPTIONS = Set.of("--password-env", "--password-file", "--oauth2-token-file",
            "--pass", "--password1", "--password2", "--passfile1", "--passfile2", "--password-env1",
            "--password-env2", "--password-file1", "--password-file2", "--oauth2-token-file1",
            "--oauth2-token-file2", "--client-cert-password-file", "--client-cert-password-file1",
            "--client-cert-password-file2", "--oauth2-refresh-token-file", "--oauth2-refresh-token-file1",
            "--oauth2-refresh-token-file2", "--oauth2-client-secret-file", "--oauth2-client-secret-file1",
            "--oauth2-client-secret-file2");

    /**
     * {@code -p}, alone, with its value attached, or last in a cluster of the flags that may come
     * before it ({@code -ep}); not a value that merely starts with a dash ({@code --exclude -import}).
     */
    private static final Pattern SHORT_P = Pattern.compile("-[aehnqvV]*p=?(.*)");

    /** Shorter values are not redacted: replacing one or two characters everywhere would garble every message. */
    private static final int SHORTEST = 3;

    static final String MASK = "***";

    /**
     * A password in a URL or address ({@code imaps://alice:PASSWORD@host}, {@code alice:PASSWORD@host}):
     * group 1 is the password.
     */
    private static final Pattern USERINFO = Pattern.compile("(?:^|//|=)[^\\s/@:=]+:([^\\s/@]+)@[^\\s@]");

    private final List<String> values;
    private final boolean inUrl;
    /** The secrets the run has read since (from files, the environment, the terminal), longest first. */
    private final java.util.concurrent.CopyOnWriteArrayList<String> learned = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Secrets(List<String> values, boolean inUrl) {
        this.values = values;
        this.inUrl = inUrl;
    }

    /**
     * Remembers a secret the run read (from a file, the environment, the terminal), so that no
     * message the program prints shows it either, whatever a library put into an exception.
     *
     * @param credential the credential read, or null
     */
    void learn(Credential credential) {
        String secret = credential instanceof Credential.Password p ? new String(p.secret())
                : credential instanceof Credential.OAuth2Token t ? t.token() : null;
        if (secret != null && secret.length() >= SHORTEST && !learned.contains(secret)) {
            learned.add(secret);
            List<String> sorted = new ArrayList<>(learned);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            learned.clear();
            learned.addAll(sorted);
        }
    }

    /**
     * Returns a throwable's stack trace, as {@code printStackTrace} writes it, without a secret.
     *
     * @param t the throwable
     * @return the text
     */
    String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return redact(w.toString());
    }

    /** Returns secrets that redact nothing. */
    static Secrets none() {
        return new Secrets(List.of(), false);
    }

    /**
     * Returns the warning for a password given on the command line in a URL or address
     * ({@code user:password@host}), which the program does not take there and redacts.
     *
     * @return the warning, or empty when no argument holds one
     */
    java.util.Optional<String> urlWarning() {
        return inUrl ? java.util.Optional.of("WARNING: an argument holds a password (user:password@...): whatever was"
                + " meant, it shows in the process list (ps) of every user on this machine and in your shell's"
                + " history; give the password with --password-file FILE or --password-env VAR, never in a URL.")
                : java.util.Optional.empty();
    }

    /**
     * Collects the values of secret options.
     *
     * @param args the raw arguments
     * @return the secrets
     */
    static Secrets of(List<String> args) {
        List<String> found = new ArrayList<>();
        boolean inUrl = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            }
            Matcher userinfo = USERINFO.matcher(a);
            while (userinfo.find()) {
                inUrl = true;
                add(found, userinfo.group(1));
            }
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            Matcher p = SHORT_P.matcher(a);
            if (OPTIONS.contains(name)) {
                add(found, eq > 0 ? a.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null);
            } else if (!a.startsWith("--") && p.matches()) {
                add(found, !p.group(1).isEmpty() ? p.group(1) : i + 1 < args.size() ? args.get(++i) : null);
            }
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(found), inUrl);
    }

    private static void add(List<String> found, String value) {
        if (value == null) {
            return;
        }
        String v = value.startsWith("@") ? value.substring(1) : value;
        for (String s : List.of(value, v, v.strip())) {
            if (s.length() >= SHORTEST && !found.contains(s)) {
                found.add(s);
            }
        }
    }

    /**
     * Replaces every secret value in a text.
     *
     * @param text the text, or null
     * @return the text without secrets
     */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String t = text;
        for (String v : learned) {
            t = t.replace(v, MASK);
        }
        for (String v : values) {
            t = t.replace(v, MASK);
        }
        return t;
    }

    /**
     * Returns the report with every error message redacted (the same report when none holds a secret).
     *
     * @param report the report
     * @return the report to write
     */
    BackupReport redact(BackupReport report) {
        if (report.allErrors().stream().noneMatch(e -> !redact(e.message()).equals(e.message())
                || e.folder() != null && !redact(e.folder()).equals(e.folder()))) {
            return report;
        }
        List<FolderReport> folders = new ArrayList<>();
        for (FolderReport f : report.folders()) {
            folders.add(new FolderReport(f.name(), f.file(), f.counters(), redact(f.errors())));
        }
        return new BackupReport(report.command(), report.startedAt(), report.finishedAt(), report.dryRun(),
                report.outcome(), folders,
                redact(report.errors()));
    }

    private List<ReportError> redact(List<ReportError> errors) {
        return errors.stream().map(e -> new ReportError(e.folder() == null ? null : redact(e.folder()), e.uid(),
                redact(e.message()))).toList();
    }
}
