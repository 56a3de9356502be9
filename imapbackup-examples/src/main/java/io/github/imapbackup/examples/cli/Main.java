package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MutuallyExclusiveArgsException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code imapbackup} command line program: {@code backup}, {@code folders}, {@code import},
 * {@code export}, {@code verify}, {@code demo}, {@code restore}, {@code migrate}.
 * See {@code docs/CLI.md}.
 *
 * <p>Exit status: 0 everything done; 1 finished with failures; 2 bad usage or configuration; 3
 * cannot connect or authenticate.
 */
public final class Main {

    private Main() { }

    /**
     * Runs the program and exits with its status; started without heap or collector options, runs
     * it in a child JVM with bounded memory ({@link Launcher}).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        WorkerCompiler.addIfAsked(); // in the launcher's worker, before its code is hot
        java.util.OptionalInt child = Launcher.relaunch(args, System.err);
        if (child.isPresent()) {
            System.exit(child.getAsInt());
        }
        WarmUp.startIfWorker(args);
        Launcher.watchLauncher();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the program without exiting (for tests and embedding): the real environment, the given
     * streams.
     *
     * @param args the arguments
     * @param out where results go
     * @param err where progress, warnings and errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Environment.system());
    }

    /**
     * Runs the program in an environment.
     *
     * @param args the arguments
     * @param out where results go
     * @param err where progress, warnings and errors go
     * @param env environment variables and terminal
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
        Objects.requireNonNull(args, "args");
        Logging.configure(Arrays.asList(args));
        WorkerCompiler.logOutcome();
        Secrets secrets = Secrets.of(Arrays.asList(args));
        secrets.urlWarning().ifPresent(err::println);
        CommandLine cmd = commandLine(new Context(out, err, env, secrets), args.length > 0 ? args[0] : null);
        return cmd.execute(args);
    }

    /**
     * Builds the command line parser for a context.
     *
     * @param ctx the context
     * @return the configured parser
     */
    static CommandLine commandLine(Context ctx) {
        return commandLine(ctx, null);
    }

    /**
     * Builds the command line parser for a context with only the command a run names, when its first
     * argument names one exactly: picocli builds the model of every command it is given, which is
     * most of a short run's start-up (docs/CLI.md, "Start-up"); the command parses and behaves the
     * same alone. Any other first argument (an option, a typo, none) gets every command.
     *
     * @param ctx the context
     * @param first the first argument, or null
     * @return the configured parser
     */
    static CommandLine commandLine(Context ctx, String first) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof AbstractCommand c) {
                    c.ctx = ctx;
                }
                return k;
            }
        };
        CommandLine cmd = new CommandLine(new Top(ctx), factory);
        Class<?> only = first == null ? null : commandClass(first);
        for (Class<?> c : Lazy.COMMANDS) {
            if (only == null || c == only) {
                // a CommandLine of its own applies the command's model transformer, as picocli does for
                // the subcommands its annotation lists
                cmd.addSubcommand(new CommandLine(c, factory));
            }
        }
        cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(ctx.out(), charset(ctx.out())), true));
        cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(ctx.err(), charset(ctx.err())), true));
        cmd.setExpandAtFiles(false); // "-p @FILE" is the original script's password file
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler(Main::badUsage);
        cmd.setExecutionExceptionHandler((e, c, parseResult) -> {
            // not an Exception (AbstractCommand handles those): OutOfMemoryError and the like
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": internal error: "
                    + ctx.secrets().redact(e.toString()) + " (--debug shows where)");
            if (parseResult.hasMatchedOption("--debug") || parseResult.hasMatchedOption("--trace")) {
                c.getErr().print(ctx.secrets().stackTrace(e));
            }
            return ExitStatus.PARTIAL;
        });
        return cmd;
    }

    private static Charset charset(PrintStream s) {
        return s == System.out || s == System.err ? Charset.defaultCharset() : java.nio.charset.StandardCharsets.UTF_8;
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        Secrets secrets = Secrets.of(Arrays.asList(args));
        String program = c.getCommandSpec().qualifiedName();
        if (c.getCommandSpec().parent() == null && e instanceof UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            err.println(program + ": unknown command '" + secrets.redact(u.getUnmatched().get(0))
                    + "'; the commands are " + String.join(", ", commandNames()) + ".");
        } else {
            err.println(program + ": " + secrets.redact(describe(e)));
        }
        if (!UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + program + " --help'.");
        }
        return ExitStatus.USAGE;
    }

    /** Picocli's message, in words for options that exclude each other (its own names the group's synopsis). */
    private static String describe(ParameterException e) {
        String m = e.getMessage();
        if (e instanceof MutuallyExclusiveArgsException || e instanceof MaxValuesExceededException) {
            Set<String> names = new LinkedHashSet<>();
            Matcher n = Lazy.OPTION_NAME.matcher(m);
            while (n.find()) {
                names.add(n.group());
            }
            if (!names.isEmpty()) {
                return "give only one of " + String.join(", ", names) + ", and that one once";
            }
        }
        Matcher number = Lazy.NOT_A_NUMBER.matcher(m);
        if (number.find()) {
            String range = Lazy.RANGES.get(number.group(1));
            return number.replaceFirst("'$1': '$2' is not a whole number" + (range == null ? "" : " from " + range));
        }
        return m.startsWith("Error: ") ? m.substring("Error: ".length()) : m;
    }


    /**
     * What only a run in this JVM needs, initialised on first use: the launcher ({@link #main}) decides
     * and starts the child before any of it (docs/CLI.md, "Start-up").
     */
    private static final class Lazy {

        /** The commands, in the order of {@link Main#commandNames()} (and of the usage help). */
        static final List<Class<?>> COMMANDS = List.of(BackupCommand.class, FoldersCommand.class,
                ImportCommand.class, ExportCommand.class, VerifyCommand.class, DemoCommand.class, RestoreCommand.class,
                MigrateCommand.class);

        /** Picocli's message for a number option given something else. */
        static final Pattern NOT_A_NUMBER = Pattern.compile("'([^']+)': '(.*)' is not an? (?:int|long)$");

        /** The ranges of the numeric options, for messages. */
        static final java.util.Map<String, String> RANGES = java.util.Map.of(
                "--timeout", "1 to " + ServerResolver.MAX_TIMEOUT_SECONDS,
                "-t", "1 to " + ServerResolver.MAX_TIMEOUT_SECONDS,
                "--port", "1 to 65535",
                "--connections", "1 to " + ServerResolver.MAX_CONNECTIONS);

        static final Pattern OPTION_NAME = Pattern.compile("--[A-Za-z0-9][A-Za-z0-9-]*");

        private Lazy() { }
    }

    /** The top command: only subcommands. */
    @Command(name = "imapbackup", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Back up IMAP mailboxes into mbox files, incrementally.",
            footer = {"", "Exit status: 0 everything done; 1 finished, but something failed;",
                "2 bad usage or configuration; 3 cannot connect or authenticate.",
                "Run 'imapbackup demo' to see it work on a built-in sample account."})
    static final class Top implements Callable<Integer> {

        private final Context ctx;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        Top(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.err().println("imapbackup: a command is missing.");
            spec.commandLine().usage(new PrintWriter(ctx.err(), true));
            return ExitStatus.USAGE;
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"imapbackup " + (v != null ? v : "(development build)"),
                "Java " + System.getProperty("java.version")};
        }
    }


    /**
     * {@return the class of the command named exactly, or null}
     *
     * @param name a command's name ({@link #commandNames()})
     */
    static Class<?> commandClass(String name) {
        int i = commandNames().indexOf(name);
        return i < 0 ? null : Lazy.COMMANDS.get(i);
    }

    static List<String> commandNames() {
        return List.of("backup", "folders", "import", "export", "verify", "demo", "restore", "migrate");
    }
}
