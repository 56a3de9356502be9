package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.FakeImapServer;
import io.github.imapbackup.testing.imap.Hostility;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups from a server that lies (docs/IMAP.md, "Hostile servers"): literals longer or shorter
 * than announced, an RFC822.SIZE that lies, UIDs out of order or repeated, FETCH responses nobody
 * asked for, lines and literals without end. Whatever the server does, every message stored is
 * byte for byte the one on the server, none is stored twice, a failure names the folder and the
 * UID, and the next run against an honest server completes the backup.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileServerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final List<String> CASES = new ArrayList<>();

    /** One backup against a server set up with {@code lie}; then one against the honest server. */
    private record Outcome(BackupReport hostile, BackupReport honest, Map<Long, String> stored) {
    }

    @AfterAll
    static void figures() {
        System.out.println("RELIABILITY server hostile-answers: " + CASES.size()
                + " cases run, lost 0, duplicated 0, hangs 0, outside 0, oom 0, seed 0");
    }

    private static FakeImapServer server() throws Exception {
        FakeImapServer server = FakeImapServer.start(USER, PASSWORD);
        for (int i = 0; i < 5; i++) {
            server.append("INBOX", Interop.big("<hostile" + i + "@x>", i == 2 ? 40_000 : 300 + i),
                    Set.of("\\Seen"), Instant.parse("2024-04-04T04:04:04Z").plusSeconds(i));
        }
        return server;
    }

    private Outcome run(String name, Path dir, Consumer<Hostility> lie) throws Exception {
        try (FakeImapServer server = server()) {
            Map<Long, String> want = new TreeMap<>();
            List<Long> uids = server.uids("INBOX");
            List<byte[]> bytes = server.messages("INBOX");
            for (int i = 0; i < uids.size(); i++) {
                want.put(uids.get(i), sha256(bytes.get(i)));
            }
            lie.accept(server.hostile());
            BackupReport hostile = backup(server, dir);
            System.out.println(name + ": " + errors(hostile));
            Map<Long, String> partial = Interop.archivedHashes(dir, "INBOX", "/");
            // whatever was stored is exact (archivedHashes checks each SHA-256 and that no UID is there twice)
            partial.forEach((uid, sha) -> assertThat(sha).as(name + ": UID " + uid).isEqualTo(want.get(uid)));
            assertReadOnly(server);
            try (FakeImapServer honest = server()) {
                BackupReport again = backup(honest, dir);
                Map<Long, String> stored = Interop.archivedHashes(dir, "INBOX", "/");
                assertThat(stored).as(name + ": after an honest run").isEqualTo(want);
                assertThat(Interop.verify(dir)).as(name).isEmpty();
                CASES.add(name);
                return new Outcome(hostile, again, stored);
            }
        }
    }

    private static BackupReport backup(FakeImapServer server, Path dir) throws Exception {
        return BackupSession.builder().source(Interop.source(server, TIMEOUT).fetchSize(4096).build())
                .target(Interop.store(dir)).reconnectAttempts(1).build().run();
    }

    private static void assertReadOnly(FakeImapServer server) {
        assertThat(server.commandNames()).doesNotContain("SELECT", "STORE", "UID STORE", "APPEND", "EXPUNGE");
        assertThat(server.commands()).filteredOn(c -> c.toUpperCase(java.util.Locale.ROOT).contains("BODY["))
                .isEmpty();
    }

    private static String errors(BackupReport r) {
        return r.allErrors().toString();
    }

    @Test
    void rfc822SizeSmallerThanTheBodyNeitherTruncatesNorRejectsIt(@TempDir Path dir) throws Exception {
        Outcome o = run("rfc822-size-smaller", dir, h -> h.rfc822Size("INBOX", 1, 10).rfc822Size("INBOX", 3, 100));
        assertThat(o.hostile().allErrors()).as(errors(o.hostile())).isEmpty();
        assertThat(o.honest().totals().messagesCopied()).isZero();
    }

    @Test
    void rfc822SizeLargerThanTheBodyNeitherTruncatesNorRejectsIt(@TempDir Path dir) throws Exception {
        Outcome o = run("rfc822-size-larger", dir, h -> h.rfc822Size("INBOX", 1, 1_000_000).rfc822Size("INBOX", 3, 41_000));
        assertThat(o.hostile().allErrors()).as(errors(o.hostile())).isEmpty();
        assertThat(o.honest().totals().messagesCopied()).isZero();
    }

    @Test
    void bodyLiteralAnnouncingFewerBytesThanItHoldsIsNotStored(@TempDir Path dir) throws Exception {
        Outcome o = run("literal-shorter-than-sent", dir, h -> h.announce("INBOX", 2, "", 100));
        assertThat(errors(o.hostile())).contains("INBOX").contains("2");
        assertThat(o.honest().totals().messagesCopied()).isEqualTo(1);
    }

    @Test
    void bodyLiteralAnnouncingMoreBytesThanItHoldsIsNotStored(@TempDir Path dir) throws Exception {
        Outcome o = run("literal-longer-than-sent", dir, h -> h.announce("INBOX", 2, "", 400));
        assertThat(errors(o.hostile())).contains("INBOX");
        assertThat(o.honest().totals().messagesCopied()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void uidsOutOfOrderAndRepeatedAreStoredOnce(@TempDir Path dir) throws Exception {
        for (Hostility.Order order : Hostility.Order.values()) {
            Path d = dir.resolve(order.name());
            Outcome o = run("order-" + order, d, h -> h.searchOrder(order).fetchOrder(order));
            assertThat(o.hostile().allErrors()).as(order + ": " + errors(o.hostile())).isEmpty();
            assertThat(o.honest().totals().messagesCopied()).as(order.name()).isZero();
        }
    }

    @Test
    void fetchResponsesNobodyAskedForAreNotStored(@TempDir Path dir) throws Exception {
        Outcome o = run("unsolicited-fetch", dir, h -> h.extraFetchResponse("* 99 FETCH (UID 999 BODY[] {5}\r\nhello)")
                .extraFetchResponse("* 1 FETCH (UID 4 BODY[] {5}\r\nhello)")
                .extraFetchResponse("* 77 FETCH (FLAGS (\\Seen) BODY[] {5}\r\nhello)"));
        assertThat(o.hostile().allErrors()).as(errors(o.hostile())).isEmpty();
        assertThat(o.stored()).doesNotContainKey(999L);
    }

    @Test
    void endlessLiteralEndsAtTheReadTimeout(@TempDir Path dir) throws Exception {
        Outcome o = run("endless-literal-stall", dir, h -> h.endlessLiteral("INBOX", 1, 1L << 40, Hostility.Endless.STALL));
        assertThat(errors(o.hostile())).contains("INBOX");
    }

    @Test
    void endlessLiteralsOfAnySizeEndInAClearErrorNotInMemoryOrForever(@TempDir Path dir) throws Exception {
        long[] sizes = {1L << 40, Integer.MAX_VALUE, Integer.MAX_VALUE - 10, 100L << 20};
        for (long size : sizes) {
            Outcome o = run("endless-literal-" + size, dir.resolve("s" + size),
                    h -> h.endlessLiteral("INBOX", 1, size, Hostility.Endless.STREAM));
            assertThat(errors(o.hostile())).as(size + "").contains("INBOX").contains("UID 1")
                    .contains("announced a literal of");
        }
    }

    @Test
    void metadataLiteralsThatLieFailTheMessageNotTheRun(@TempDir Path dir) throws Exception {
        String fields = "HEADER.FIELDS (MESSAGE-ID FROM SENDER)";
        Outcome shorter = run("metadata-literal-shorter", dir.resolve("a"), h -> h.announce("INBOX", 2, fields, 10));
        assertThat(errors(shorter.hostile())).contains("INBOX");
        Outcome longer = run("metadata-literal-longer", dir.resolve("b"), h -> h.announce("INBOX", 2, fields, 10_000));
        assertThat(errors(longer.hostile())).contains("INBOX");
    }

    @Test
    void responseLinesOf100MegabytesEndInAClearError(@TempDir Path dir) throws Exception {
        long size = 100L << 20;
        try (FakeImapServer server = server()) {
            server.hostile().longLine("^LIST", "* LIST () \"/\" \"", "a", "\"", size);
            // without the folder list nothing can be done: the run stops, saying why
            assertThatThrownBy(() -> backup(server, dir.resolve("list"))).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("LIST").hasMessageContaining("response line longer than 8 MB")
                    .hasMessageNotContaining("Exception");
            CASES.add("long-line-list");
        }
        Outcome search = run("long-line-search", dir.resolve("search"),
                h -> h.longLine("^UID SEARCH", "* SEARCH", " 1", "", size));
        assertThat(errors(search.hostile())).contains("INBOX").contains("response line longer than 32 MB");
        Outcome flags = run("long-line-fetch-flags", dir.resolve("flags"),
                h -> h.longLine("^UID FETCH .*FLAGS", "* 1 FETCH (UID 1 FLAGS (", " \\Seen", "))", size));
        assertThat(errors(flags.hostile())).contains("INBOX").contains("UID 1").contains("response line longer than 8 MB");
    }

    @Test
    void aSearchAnswerOf16MegabytesIsTaken(@TempDir Path dir) throws Exception {
        // 2,000,000 UIDs of up to 7 digits are about 15 MB: a legitimate answer is never refused
        Outcome o = run("search-16mb", dir, h -> h.longLine("^UID SEARCH", "* SEARCH", " 1", "", 16L << 20));
        assertThat(o.hostile().allErrors()).as(errors(o.hostile())).isEmpty();
    }

    @RegisterExtension
    final Seeds seeds = new Seeds();

    /**
     * Lies picked at random (seeded): which message, which lie, which size. Every case keeps the
     * invariants of {@link #run}: what is stored is exact and once, and an honest run completes it.
     */
    @Test
    void randomLiesNeverStoreAWrongOrDoubleMessage(@TempDir Path dir) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        int n = Boolean.getBoolean("imapbackup.reliability") ? 100 : 5;
        for (int i = 0; i < n; i++) {
            long uid = 1 + rnd.nextInt(5);
            int kind = rnd.nextInt(5);
            long size = 1 + rnd.nextInt(60_000);
            Hostility.Order order = Hostility.Order.values()[rnd.nextInt(Hostility.Order.values().length)];
            String name = "random-" + i + "-kind" + kind + "-uid" + uid + "-" + size;
            Outcome o = run(name, dir.resolve("r" + i), h -> {
                switch (kind) {
                    case 0 -> h.rfc822Size("INBOX", uid, size);
                    case 1 -> h.announce("INBOX", uid, "", Math.min(size, 250)); // fewer than the body holds
                    case 2 -> h.searchOrder(order).fetchOrder(order);
                    case 3 -> h.extraFetchResponse("* " + (1 + rnd.nextInt(9)) + " FETCH (UID " + (1 + rnd.nextInt(9))
                            + " BODY[] {5}\r\nhello)");
                    default -> h.announce("INBOX", uid, "HEADER.FIELDS (MESSAGE-ID FROM SENDER)", Math.min(size, 20));
                }
            });
            if (kind == 3) {
                // a forged body for a UID being fetched in pieces: two different bodies, none stored
                assertThat(o.hostile().allErrors()).as("seed %d %s", seed, name)
                        .allSatisfy(e -> assertThat(e.message()).contains("different bodies"));
            } else if (kind == 0 || kind == 2) {
                assertThat(o.hostile().allErrors()).as("seed %d %s: %s", seed, name, errors(o.hostile())).isEmpty();
            }
        }
        System.out.println("RELIABILITY server hostile-answers-random: " + n
                + " cases run, lost 0, duplicated 0, hangs 0, outside 0, oom 0, seed " + seed);
    }
}
