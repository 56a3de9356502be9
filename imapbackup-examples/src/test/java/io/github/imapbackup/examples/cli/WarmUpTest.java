package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The worker's warm-up does every step it names: a step that broke (a class renamed, a parse refused) shows here. */
class WarmUpTest {

    @Test
    void everyStepSucceeds() {
        assertThat(WarmUp.run(BackupCommand.class, true, true)).isEmpty();
        assertThat(WarmUp.run(MigrateCommand.class, true, false)).isEmpty();
        assertThat(WarmUp.run(VerifyCommand.class, false, false)).isEmpty();
    }

    @Test
    void everyCommandNameHasItsClass() {
        for (String name : Main.commandNames()) {
            Class<?> c = Main.commandClass(name);
            assertThat(c).as(name).isNotNull();
            assertThat(c.getAnnotation(CommandLine.Command.class).name()).isEqualTo(name);
        }
        assertThat(Main.commandClass("--help")).isNull();
        assertThat(Main.commandClass("Backup")).as("as picocli: names are exact").isNull();
    }

    @Test
    void theAnnotationsReadAreThoseOfEveryClassInTheCommandsModel() {
        // a mixin or argument group the walk misses (another package, a collection) would be parsed
        // by the main thread again: the model picocli builds names every class it read
        for (String name : Main.commandNames()) {
            Set<Class<?>> read = WarmUp.annotations(Main.commandClass(name));
            CommandLine.Model.CommandSpec spec = Main.commandLine(context(), name).getSubcommands().get(name)
                    .getCommandSpec();
            Set<Class<?>> modelled = new HashSet<>();
            classes(spec, modelled);
            assertThat(modelled).as(name).isNotEmpty();
            assertThat(read).as(name).containsAll(modelled).contains(Main.Top.class, AbstractCommand.class);
        }
    }

    private static void classes(CommandLine.Model.CommandSpec spec, Set<Class<?>> into) {
        Object user = spec.userObject();
        if (user != null && user.getClass().getPackage() == WarmUp.class.getPackage()) {
            into.add(user.getClass());
        }
        spec.mixins().values().forEach(m -> classes(m, into));
        spec.argGroups().forEach(g -> group(g, into));
    }

    private static void group(CommandLine.Model.ArgGroupSpec g, Set<Class<?>> into) {
        into.add(g.typeInfo().getType());
        g.subgroups().forEach(s -> group(s, into));
    }

    private static Context context() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return new Context(nowhere, nowhere, Environment.of(Map.of()));
    }

    @Test
    void theHashingReachesTheAmountAfterWhichC2CompilesSha256() throws Exception {
        // measured with the worker's options: C2 compiled SHA2.implCompress0 once 64 KiB were hashed
        assertThat((long) WarmUp.SHA_BLOCK * WarmUp.SHA_BLOCKS).isGreaterThanOrEqualTo(64 << 10);
        assertThat(WarmUp.hashing()).isEqualTo(java.security.MessageDigest.getInstance("SHA-256")
                .digest(new byte[WarmUp.SHA_BLOCK * WarmUp.SHA_BLOCKS]));
    }

    @Test
    void theJdksCaTableIsWhereTheWarmUpLooksForIt() throws Exception {
        // a JDK that moved it would leave the step failing quietly: this says so at build time
        Class<?> table = Class.forName(WarmUp.JDK_CA_TABLE, false, null);
        assertThat(table.getModule().getName()).isEqualTo("java.base");
    }

    @Test
    void theDateItParsesIsAnImapInternalDate() throws Exception {
        // the format of an INTERNALDATE (RFC 9051 date-time), as Angus hands it to MailDateFormat
        assertThat(new jakarta.mail.internet.MailDateFormat().parse("17-Jul-1996 02:44:25 -0700").toInstant())
                .isEqualTo(java.time.Instant.parse("1996-07-17T09:44:25Z"));
    }

    @Test
    void onlyRunsThatSayNoneToEverySecurityOptionArePlain() {
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--host", "h", "--security", "none"})).isTrue();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security=none", "-d", "x"})).isTrue();
        assertThat(WarmUp.plainOnly(new String[] {"migrate", "--security1", "none", "--security2=none"})).isTrue();

        assertThat(WarmUp.plainOnly(new String[] {"backup", "--host", "h"})).as("TLS by default").isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security", "starttls"})).isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security=tls"})).isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"migrate", "--security1", "none", "--security2", "tls"})).isFalse();
        assertThat(WarmUp.plainOnly(new String[] {"backup", "--security"})).as("no value").isFalse();
    }

    @Test
    void theCaTableIsReadOnlyWhenAConnectionMayCheckACertificate() {
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--host", "h"})).as("TLS by default").isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--security", "starttls"})).isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--security", "none"})).isFalse();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--host", "h", "--insecure"})).isFalse();
        assertThat(WarmUp.checksCertificates(new String[] {"migrate", "--insecure1", "--insecure2"})).isFalse();
        assertThat(WarmUp.checksCertificates(new String[] {"migrate", "--insecure1"})).as("host2 checks").isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"migrate", "--insecure"})).as("not an option of migrate")
                .isTrue();
        assertThat(WarmUp.checksCertificates(new String[] {"backup", "--insecure1"})).as("not an option of backup")
                .isTrue();
    }
}
