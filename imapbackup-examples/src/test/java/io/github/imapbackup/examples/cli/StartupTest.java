package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** A run builds the parser of the command it names only, and that parser behaves as the full one. */
@Timeout(30)
class StartupTest {

    private static Context context() {
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream());
        return new Context(nowhere, nowhere, Environment.of(Map.of()));
    }

    static java.util.List<String> commands() {
        return Main.commandNames();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aRunNamingACommandBuildsThatCommandAlone(String command) {
        CommandLine cmd = Main.commandLine(context(), command);
        assertThat(cmd.getSubcommands()).containsOnlyKeys(command);
    }

    @Test
    void anyOtherFirstArgumentGetsEveryCommandInOrder() {
        for (String first : new String[] {null, "--help", "--version", "backpu", "Backup", "-x"}) {
            assertThat(Main.commandLine(context(), first).getSubcommands().keySet()).as(String.valueOf(first))
                    .containsExactlyElementsOf(Main.commandNames());
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aCommandAloneHasTheSameHelpAndOptionsAsAmongAllTheOthers(String command) {
        CommandLine alone = Main.commandLine(context(), command).getSubcommands().get(command);
        CommandLine among = Main.commandLine(context()).getSubcommands().get(command);
        assertThat(usage(alone)).isEqualTo(usage(among)).contains("imapbackup " + command);
        assertThat(alone.getCommandSpec().optionsMap().keySet())
                .isEqualTo(among.getCommandSpec().optionsMap().keySet());
    }

    @Test
    void badUsageOfACommandSaysTheSameAsBefore() {
        CliRun r = CliRun.run("backup", "--qqqq");
        assertThat(r.status).as(r.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(r.err).contains("imapbackup backup: Unknown option: '--qqqq'")
                .contains("Try 'imapbackup backup --help'.");
        CliRun unknown = CliRun.run("bakup");
        assertThat(unknown.err).contains("unknown command 'bakup'; the commands are backup, folders,");
    }

    private static String usage(CommandLine c) {
        StringWriter w = new StringWriter();
        c.usage(new PrintWriter(w, true), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }
}
