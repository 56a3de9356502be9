package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.oauth.FakeTokenEndpoint;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that logs in (backup, folders, restore, migrate, backup --config with several
 * accounts) and every command that does not (verify, export, import), run as users run them (the
 * launcher and its worker JVM) at {@code --trace}, Angus Mail's protocol trace included, with
 * passwords (AUTHENTICATE PLAIN at Dovecot, the LOGIN command at GreenMail, which offers no
 * password mechanism) and with OAuth2 (XOAUTH2 at GreenMail, which takes the password as the
 * bearer token; access tokens from the tests' token endpoint with a refresh token and a client
 * secret, or from a token file). Every byte the runs leave is scanned for every secret in every
 * form ({@link SecretNeedles}): zero hits. With {@code -Dimapbackup.reliability=true}, every log
 * level too. The secrets are random; {@code -Dimapbackup.seed=N} replays them.
 */
@Timeout(1800)
class SecretScanIT {

    static final boolean FULL = Boolean.getBoolean("imapbackup.reliability");
    /** The seed of the secrets: {@code -Dimapbackup.seed} to replay, otherwise a new one. */
    static final long SEED = Seeds.fixedAndFresh(0).findFirst().orElseThrow();
    private static final Random RND = new Random(SEED);
    static final String PW_ALICE = secret("pw+alice/");
    static final String PW_BOB = secret("pw+bob/");
    static final String PW_CAROL = secret("pw+carol/");
    static final String ACCESS = secret("ya29.a0");
    static final String REFRESH = "1//" + secret("0g");
    static final String CLIENT_SECRET = secret("GOCSPX-");
    static final String WRONG = secret("pw+wrong/");
    static final String REVOKED = secret("ya29.revoked");
    static final String CLIENT_ID = "imapbackup-test.apps.example";

    static final Map<String, SecretScan.Tally> TALLIES = new ConcurrentHashMap<>();

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user("alice", PW_ALICE).user("bob", PW_BOB).build();

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static DemoServer carol;
    private static DemoServer dave;

    @TempDir
    Path tmp;

    /** A random secret of 26 characters after the prefix, some of which URL-encoding changes. */
    private static String secret(String prefix) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/%-_";
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 26; i++) {
            sb.append(alphabet.charAt(RND.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static SecretNeedles needles() {
        return new SecretNeedles().add("alice's password", PW_ALICE).add("bob's password", PW_BOB)
                .add("carol's password", PW_CAROL).add("the access token", ACCESS).add("the refresh token", REFRESH)
                .add("the client secret", CLIENT_SECRET).add("a wrong password", WRONG)
                .add("a revoked access token", REVOKED);
    }

    @BeforeAll
    static void start() throws IOException {
        System.out.println("SecretScanIT: seed " + SEED + " (replay with -D" + Seeds.PROPERTY + "=" + SEED + ")");
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < 4; i++) {
            DOVECOT.append("alice", i % 2 == 0 ? "INBOX" : "Archive", MboxFiles.message("a" + i + "@example.org",
                    "alice " + i, "body " + i + "\r\n"), Set.of("\\Seen"), t.plusSeconds(i));
        }
        carol = DemoServer.start("carol", PW_CAROL);
        carol.load(SampleAccount.generate(3, 2048, 3));
        dave = DemoServer.start("dave", ACCESS);
        dave.load(SampleAccount.generate(4, 2048, 3));
    }

    @AfterAll
    static void stop() {
        if (carol != null) {
            carol.close();
        }
        if (dave != null) {
            dave.close();
        }
        SecretScan.printFigures(TALLIES);
    }

    /** The log levels: {@code --trace} in the default build; every level with the reliability profile. */
    static Stream<String> levels() {
        return FULL ? Stream.of("--trace", "--debug", "--verbose", "") : Stream.of("--trace");
    }

    private Path secretFile(SecretScan scan, String name, String secret) throws IOException {
        Path f = Files.writeString(tmp.resolve(name), secret + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return scan.holdsSecret(f);
    }

    /** The arguments: strings, and lists of them flattened; the log level last. */
    private static List<String> args(String level, Object... parts) {
        List<String> a = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> a.add((String) x));
            } else {
                a.add(p.toString());
            }
        }
        if (!level.isEmpty()) {
            a.add(level);
        }
        return a;
    }

    private static List<String> dovecot(String suffix, String user) {
        return List.of("--host" + suffix, DOVECOT.host(), "--port" + suffix, Integer.toString(DOVECOT.port()),
                "--security" + suffix, "none", "--user" + suffix, user);
    }

    private static List<String> greenMail(String suffix, DemoServer server, String user) {
        return List.of("--host" + suffix, DemoServer.HOST, "--port" + suffix, Integer.toString(server.port()),
                "--security" + suffix, "none", "--user" + suffix, user);
    }

    /** The commands without a server: verify, export, import, on the backup a run made. */
    private void offline(SecretScan scan, String level, Path backup) throws Exception {
        scan.expect(0, "verify", tmp, Map.of(), args(level, "verify", "--dir", backup));
        scan.expect(0, "export", tmp, Map.of(), args(level, "export", "--dir", backup, "--eml", tmp.resolve("eml"),
                "--report", tmp.resolve("export.json")));
        Path foreign = MboxFiles.mbox(tmp.resolve("foreign.mbox"), List.of(
                MboxFiles.message("f1@example.org", "foreign 1", "one\r\n"),
                MboxFiles.message("f2@example.org", "foreign 2", "two\r\n")));
        scan.expect(0, "import", tmp, Map.of(), args(level, "import", "--dir", tmp.resolve("imported"),
                "--report", tmp.resolve("import.json"), foreign));
    }

    /**
     * The scan is not blind: when Angus is told to trace the login ({@code mail.debug.auth}, which
     * the program never sets), it finds each secret in the trace: the LOGIN command's password, the
     * base64 of AUTHENTICATE PLAIN and of XOAUTH2.
     */
    @Test
    void theScanFindsEachLoginInAnAuthTrace() throws Exception {
        seeds.use(SEED);
        record Login(String label, String host, int port, String user, String secret, String mechanism) { }
        for (Login l : List.of(new Login("alice's password", DOVECOT.host(), DOVECOT.port(), "alice", PW_ALICE, "PLAIN"),
                new Login("carol's password", DemoServer.HOST, carol.port(), "carol", PW_CAROL, "LOGIN"),
                new Login("the access token", DemoServer.HOST, dave.port(), "dave", ACCESS, "XOAUTH2"))) {
            Properties props = new Properties();
            props.setProperty("mail.debug", "true");
            props.setProperty("mail.debug.auth", "true");
            props.setProperty("mail.imap.auth.mechanisms", l.mechanism());
            props.setProperty("mail.imap.auth.xoauth2.disable", "false");
            Session session = Session.getInstance(props);
            ByteArrayOutputStream trace = new ByteArrayOutputStream();
            session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
            try (Store store = session.getStore("imap")) {
                store.connect(l.host(), l.port(), l.user(), l.secret());
            }
            String text = trace.toString(StandardCharsets.UTF_8);
            assertThat(needles().scan(l.mechanism() + " trace", trace.toByteArray()))
                    .as(text).anyMatch(h -> h.secret().equals(l.label()));
        }
    }

    /** Nothing in the program asks Angus for a trace of the login (or for its debug output on stdout). */
    @Test
    void noModuleTurnsAngusAuthTracingOn() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root, 16)) {
            sources = files.filter(f -> f.toString().contains("/src/main/java/") && f.toString().endsWith(".java"))
                    .toList();
        }
        assertThat(sources).as("the modules' sources under " + root).hasSizeGreaterThan(50);
        for (Path f : sources) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("mail.debug");
        }
    }

    @ParameterizedTest(name = "passwords, {0}")
    @MethodSource("levels")
    void noPasswordShowsAnywhereAfterEveryCommand(String level) throws Exception {
        seeds.use(SEED);
        SecretScan scan = new SecretScan(needles(), TALLIES);
        Path alicePw = secretFile(scan, "alice.pass", PW_ALICE);
        Path bobPw = secretFile(scan, "bob.pass", PW_BOB);
        Path carolPw = secretFile(scan, "carol.pass", PW_CAROL);
        Map<String, String> env = Map.of("ALICE_PW", PW_ALICE, "BOB_PW", PW_BOB, "CAROL_PW", PW_CAROL);
        Path backup = tmp.resolve("alice");

        scan.expect(0, "backup", tmp, env, args(level, "backup", dovecot("", "alice"), "--password-file", alicePw,
                "--dir", backup, "--report", tmp.resolve("backup.json")));
        scan.expect(0, "backup", tmp, env, args(level, "backup", greenMail("", carol, "carol"), "--password-env",
                "CAROL_PW", "--dir", tmp.resolve("carol")));
        scan.expect(0, "folders", tmp, env, args(level, "folders", dovecot("", "alice"), "--password-env", "ALICE_PW"));
        offline(scan, level, backup);
        scan.expect(0, "restore", tmp, env, args(level, "restore", dovecot("", "bob"), "--password-file", bobPw,
                "--dir", backup, "--prefix", "Restored", "--report", tmp.resolve("restore.json")));
        scan.expect(0, "migrate", tmp, env, args(level, "migrate", dovecot("1", "alice"), "--password-file1", alicePw,
                greenMail("2", carol, "carol"), "--password-env2", "CAROL_PW", "--prefix2", "Migrated", "--report",
                tmp.resolve("migrate.json")));
        Path config = Files.writeString(tmp.resolve("accounts.yaml"), "destination: " + tmp.resolve("fleet") + "\n"
                + "accounts:\n"
                + account("alice", DOVECOT.port(), "{file: " + alicePw + "}")
                + account("bob", DOVECOT.port(), "{env: BOB_PW}")
                + account("carol", carol.port(), "{command: [cat, " + carolPw + "]}"));
        scan.expect(0, "backup --config", tmp, env, args(level, "backup", "--config", config,
                "--report", tmp.resolve("fleet.json")));
    }

    private static String account(String user, int port, String password) {
        return "  - {name: " + user + ", host: 127.0.0.1, port: " + port + ", security: none, user: " + user
                + ", password: " + password + "}\n";
    }

    @ParameterizedTest(name = "OAuth2, {0}")
    @MethodSource("levels")
    void noTokenShowsAnywhereAfterEveryCommand(String level) throws Exception {
        seeds.use(SEED);
        SecretScan scan = new SecretScan(needles(), TALLIES);
        Path refresh = secretFile(scan, "dave.refresh", REFRESH);
        Path client = secretFile(scan, "client.secret", CLIENT_SECRET);
        Path access = secretFile(scan, "dave.token", ACCESS);
        Path bobPw = secretFile(scan, "bob.pass", PW_BOB);
        Path cache = scan.holdsSecret(tmp.resolve("cache/dave.json"));
        Path backup = tmp.resolve("dave");
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            for (int i = 0; i < 20; i++) {
                endpoint.then(FakeTokenEndpoint.Answer.json(200, "{\"access_token\":\"" + ACCESS
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
            }
            List<String> refreshing = List.of("--oauth2-refresh-token-file", refresh.toString(),
                    "--oauth2-client-secret-file", client.toString(), "--oauth2-token-endpoint",
                    endpoint.uri().toString(), "--oauth2-client-id", CLIENT_ID, "--oauth2-token-cache", cache.toString());
            scan.expect(0, "backup", tmp, Map.of(), args(level, "backup", greenMail("", dave, "dave"), refreshing, "--dir", backup,
                    "--report", tmp.resolve("backup.json")));
            assertThat(endpoint.requests()).as("the refresh token and client secret were used").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.form()).containsEntry("refresh_token", REFRESH)
                            .containsEntry("client_secret", CLIENT_SECRET));
            assertCacheHoldsTheAccessTokenOnly(cache);
            scan.expect(0, "folders", tmp, Map.of(), args(level, "folders", greenMail("", dave, "dave"), "--oauth2-token-file", access));
            offline(scan, level, backup);
            scan.expect(0, "restore", tmp, Map.of(), args(level, "restore", greenMail("", dave, "dave"), "--oauth2-token-file", access,
                    "--dir", backup, "--prefix", "Restored"));
            List<String> refreshing1 = refreshing.stream().map(o -> o.startsWith("--") ? o + "1" : o).toList();
            scan.expect(0, "migrate", tmp, Map.of(), args(level, "migrate", greenMail("1", dave, "dave"), refreshing1,
                    dovecot("2", "bob"), "--password-file2", bobPw, "--prefix2", "FromDave"));
            Path config = Files.writeString(tmp.resolve("accounts.yaml"), "destination: " + tmp.resolve("fleet") + "\n"
                    + "accounts:\n"
                    + "  - {name: dave-refreshed, host: 127.0.0.1, port: " + dave.port() + ", security: none, user: dave,"
                    + " oauth2: {endpoint: '" + endpoint.uri() + "', clientId: " + CLIENT_ID + ", clientSecret: {file: "
                    + client + "}, refreshToken: {file: " + refresh + "}, cache: " + scan.holdsSecret(
                            tmp.resolve("cache/config.json")) + "}}\n"
                    + "  - {name: dave-fixed, host: 127.0.0.1, port: " + dave.port() + ", security: none, user: dave,"
                    + " oauth2: {tokenFile: " + access + "}}\n");
            scan.expect(0, "backup --config", tmp, Map.of(), args(level, "backup", "--config", config,
                    "--report", tmp.resolve("fleet.json")));
            assertCacheHoldsTheAccessTokenOnly(tmp.resolve("cache/config.json"));
        }
    }

    /** A token cache: the owner's only, and no secret in it but the access token it keeps. */
    private static void assertCacheHoldsTheAccessTokenOnly(Path cache) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        assertThat(Files.readString(cache)).contains(ACCESS);
        assertThat(new SecretNeedles().add("the refresh token", REFRESH).add("the client secret", CLIENT_SECRET)
                .add("a password", PW_BOB).scan("the token cache", Files.readAllBytes(cache)))
                .as("the cache holds access tokens only").isEmpty();
    }

    /** The failure paths: with the reliability profile at every log level; in the default build not at all. */
    static Stream<String> failureLevels() {
        return FULL ? levels() : Stream.empty();
    }

    private static String tokenAnswer(String token) {
        return "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    }

    @ParameterizedTest(name = "refused logins, {0}", allowZeroInvocations = true)
    @MethodSource("failureLevels")
    void noSecretShowsWhenALoginIsRefused(String level) throws Exception {
        seeds.use(SEED);
        SecretScan scan = new SecretScan(needles(), TALLIES);
        Path wrong = secretFile(scan, "wrong.pass", WRONG);
        Path revoked = secretFile(scan, "revoked.token", REVOKED);
        Path alicePw = secretFile(scan, "alice.pass", PW_ALICE);
        Map<String, String> env = Map.of("WRONG_PW", WRONG);
        Path backup = Files.createDirectories(tmp.resolve("a"));
        MboxFiles.mbox(backup.resolve("INBOX.mbox"), List.of(MboxFiles.message("r@example.org", "r", "r\r\n")));
        scan.expect(3, "backup", tmp, env, args(level, "backup", dovecot("", "alice"), "--password-file", wrong,
                "--dir", tmp.resolve("b"), "--report", tmp.resolve("backup.json")));
        scan.expect(3, "folders", tmp, env, args(level, "folders", greenMail("", carol, "carol"), "--password-env",
                "WRONG_PW"));
        scan.expect(3, "folders", tmp, env, args(level, "folders", greenMail("", dave, "dave"), "--oauth2-token-file",
                revoked, "--report", tmp.resolve("folders.json")));
        scan.expect(3, "restore", tmp, env, args(level, "restore", dovecot("", "bob"), "--password-file", wrong,
                "--dir", tmp.resolve("a"), "--report", tmp.resolve("restore.json")));
        scan.expect(3, "migrate", tmp, env, args(level, "migrate", dovecot("1", "alice"), "--password-file1", alicePw,
                greenMail("2", carol, "carol"), "--password-env2", "WRONG_PW", "--report", tmp.resolve("migrate.json")));
    }

    @ParameterizedTest(name = "refused tokens, {0}", allowZeroInvocations = true)
    @MethodSource("failureLevels")
    void noSecretShowsWhenTheTokenEndpointOrTheServerRefuses(String level) throws Exception {
        seeds.use(SEED);
        SecretScan scan = new SecretScan(needles(), TALLIES);
        Path refresh = secretFile(scan, "dave.refresh", REFRESH);
        Path client = secretFile(scan, "client.secret", CLIENT_SECRET);
        String echo = "refresh token " + REFRESH + " of client " + CLIENT_SECRET;
        String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(REFRESH, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8);
        List<FakeTokenEndpoint.Answer> answers = List.of(
                // the server refuses the token, and the one got in its place
                FakeTokenEndpoint.Answer.json(200, tokenAnswer(REVOKED)),
                FakeTokenEndpoint.Answer.json(200, tokenAnswer(REVOKED)),
                // an endpoint that quotes what it was sent in its refusal, or answers with something else than JSON
                FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + echo
                        + "\"}"),
                FakeTokenEndpoint.Answer.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"" + echo
                        + "\"}"),
                FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_request\",\"error_description\":\"cannot"
                        + " parse " + form + "\"}"),
                FakeTokenEndpoint.Answer.json(200, form),
                FakeTokenEndpoint.Answer.json(500, "<html>" + echo + "</html>"));
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            answers.forEach(endpoint::then);
            int run = 0;
            while (endpoint.requests().size() < answers.size()) {
                Path cache = scan.holdsSecret(tmp.resolve("cache/" + run + ".json"));
                scan.expect(3, "backup", tmp, Map.of(), args(level, "backup", greenMail("", dave, "dave"),
                        "--oauth2-refresh-token-file", refresh, "--oauth2-client-secret-file", client,
                        "--oauth2-token-endpoint", endpoint.uri(), "--oauth2-client-id", CLIENT_ID,
                        "--oauth2-token-cache", cache, "--dir", tmp.resolve("d"), "--report",
                        tmp.resolve("backup-" + run + ".json")));
                run++;
                assertThat(run).as("each run asks the endpoint").isLessThanOrEqualTo(answers.size());
            }
        }
    }

    @ParameterizedTest(name = "failing secrets in a configuration, {0}", allowZeroInvocations = true)
    @MethodSource("failureLevels")
    void noSecretShowsWhenAnAccountsSecretCannotBeHad(String level) throws Exception {
        seeds.use(SEED);
        SecretScan scan = new SecretScan(needles(), TALLIES);
        Path wrong = secretFile(scan, "wrong.pass", WRONG);
        Path bobPw = secretFile(scan, "bob.pass", PW_BOB);
        Path carolPw = secretFile(scan, "carol.pass", PW_CAROL);
        Path config = Files.writeString(tmp.resolve("accounts.yaml"), "destination: " + tmp.resolve("fleet") + "\n"
                + "accounts:\n"
                + account("alice", DOVECOT.port(), "{file: " + wrong + "}")
                + account("bob", DOVECOT.port(), "{command: [sh, -c, 'cat " + bobPw + "; exit 3']}")
                + account("carol", carol.port(), "{command: [sh, -c, 'cat " + carolPw + "; exec sleep 60'],"
                        + " timeout: 1s}"));
        scan.expect(3, "backup --config", tmp, Map.of(), args(level, "backup", "--config", config,
                "--report", tmp.resolve("fleet.json")));
    }
}
