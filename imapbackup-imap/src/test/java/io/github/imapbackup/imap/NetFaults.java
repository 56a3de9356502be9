package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.time.Instant;
import io.github.imapbackup.testing.imap.Fault;
import io.github.imapbackup.testing.imap.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The network faults of the fault suite ({@code NetFault*IT}) and what each must end in: the run
 * completes through retries (reconnection, backoff), or the folder fails with a clear report entry
 * and a rerun completes. Trigger points are drawn from a seeded generator.
 */
final class NetFaults {

    /** Whether the full suite runs ({@code -Preliability}). */
    static final boolean FULL = Boolean.getBoolean("imapbackup.reliability");
    /** Trigger points per fault of a backup: 1, or 20 with the full suite. */
    static final int POINTS = FULL ? 20 : 1;
    /** Trigger points per fault of a restore or a migration (each costs a run, a rerun and two listings): 1, or 10. */
    static final int TARGET_POINTS = FULL ? 10 : 1;
    /** The read timeout of the runs under faults: a stall ends with it. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Backoff short enough for a test, bounded as in production. */
    static final Throttling THROTTLING = Throttling.builder().initialDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(20)).maxWaits(6).maxWaitTotal(Duration.ofSeconds(10)).build();

    /** A fault class: how it is made at a trigger point, and whether the run gets over it. */
    enum Kind {
        CUT_MID_LITERAL(true),
        RESET_MID_LITERAL(true),
        STALL(true),
        DRIP(true),
        BYE(true),
        DELAYED_GREETING(true),
        NO_UNAVAILABLE(true),
        NO_LIMIT(true),
        BAD_THROTTLED(true),
        NO_INUSE(true),
        NO_OVERQUOTA(false),
        NO_SERVERBUG(false),
        NO_EXPUNGEISSUED(false);

        /** Whether the run completes despite it (else the folder fails and a rerun completes). */
        final boolean recovers;

        Kind(boolean recovers) {
            this.recovers = recovers;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The response code of a refusal, or null. */
        String code() {
            int i = name().indexOf('_');
            return name().startsWith("NO_") || name().startsWith("BAD_") ? name().substring(i + 1) : null;
        }

        String status() {
            return name().substring(0, name().indexOf('_'));
        }
    }

    /** Which side of a run a fault strikes: the one that reads messages, or the one that appends them. */
    enum Side { READ, APPEND }

    /** What a run under a fault must end in. */
    enum Expect {
        /** Completes, every message copied, no error. */
        COMPLETES,
        /** The folder fails with a report entry naming it; a rerun completes. */
        FOLDER_FAILS,
        /** Either (a fault whose effect depends on what was in flight). */
        EITHER
    }

    /** A fault at a trigger point, and what the run must end in. */
    record Planned(Fault fault, Expect expect) { }

    /**
     * Plans a fault of {@code kind} at a point drawn from {@code rnd}. On the reading side every
     * connection fault and throttling answer is got over (reconnection, backoff); on the appending
     * side a lost connection and a refused APPEND fail the folder (an APPEND is never sent twice:
     * docs/ARCHITECTURE.md, "Reconnecting" and "Throttling"), and the rerun copies what is missing.
     */
    static Planned plan(Kind kind, Side side, Random rnd, int messages) {
        Fault f = fault(kind, side, rnd, messages);
        if (side == Side.READ) {
            return new Planned(f, kind.recovers ? Expect.COMPLETES : Expect.FOLDER_FAILS);
        }
        Expect e = switch (kind) {
            case DRIP, DELAYED_GREETING -> Expect.COMPLETES;
            case NO_UNAVAILABLE, NO_LIMIT, BAD_THROTTLED, NO_INUSE -> f.toString().contains(" SELECT ")
                    ? Expect.COMPLETES : Expect.FOLDER_FAILS;
            case NO_OVERQUOTA, NO_SERVERBUG, NO_EXPUNGEISSUED -> Expect.FOLDER_FAILS;
            default -> Expect.EITHER;
        };
        return new Planned(f, e);
    }

    private NetFaults() { }

    /**
     * Creates a folder of a Dovecot user holding {@code count} messages of growing size (from 1 KB
     * to some 50 KB: single and chunked fetches), some flagged, each an hour apart, and the fifth
     * once more (a copy); returns them as appended.
     */
    static List<ImapTestClient.Message> load(Dovecot dovecot, String user, String folder, String id, int count)
            throws IOException {
        List<ImapTestClient.Message> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] m = Interop.big("<" + id + i + "@x>", 1_000 + i * 4_000);
            batch.add(new ImapTestClient.Message(m, i % 3 == 0 ? java.util.Set.of("\\Seen") : java.util.Set.of(),
                    Instant.parse("2025-01-01T00:00:00Z").plusSeconds(3600L * i)));
        }
        batch.add(batch.get(4));
        try (ImapTestClient c = dovecot.login(user)) {
            c.createFolder(folder);
            c.appendAll(folder, batch);
        }
        return batch;
    }

    /**
     * Makes a fault of {@code kind} at a point drawn from {@code rnd}.
     *
     * @param messages how many messages the side moves (trigger points fall among them)
     */
    static Fault fault(Kind kind, Side side, Random rnd, int messages) {
        int nth = 1 + rnd.nextInt(Math.max(1, messages));
        int offset = rnd.nextInt(4000);
        boolean read = side == Side.READ;
        Fault inMessage = read ? Fault.literal("FETCH", nth, offset) : Fault.commandLiteral("APPEND", nth, offset);
        String command = read ? "UID FETCH" : "APPEND";
        // a backup sends two UID FETCH at least (metadata, bodies); a restore's messages go in one MULTIAPPEND
        int nthCommand = 1 + rnd.nextInt(read ? 2 : 1);
        return switch (kind) {
            case CUT_MID_LITERAL -> inMessage.cut();
            case RESET_MID_LITERAL -> inMessage.reset();
            case STALL -> inMessage.stall();
            case DRIP -> (read ? Fault.literal("FETCH", nth, 0) : Fault.commandLiteral(command, nth, 0))
                    .drip(Duration.ofMillis(1), 200 + rnd.nextInt(300)).times(3);
            case BYE -> Fault.answer(command, nthCommand)
                    .bye("[UNAVAILABLE] Server shutting down (injected)");
            case DELAYED_GREETING -> Fault.greeting().delay(Duration.ofMillis(200 + rnd.nextInt(800))).eachConnection();
            case NO_UNAVAILABLE, NO_LIMIT, BAD_THROTTLED, NO_INUSE -> {
                String refused = refused(side, rnd);
                boolean repeated = refused.equals("APPEND") || refused.equals("UID FETCH");
                yield Fault.command(refused, repeated ? nthCommand : 1)
                        .refuse(kind.status(), kind.code()).times(1 + rnd.nextInt(3));
            }
            case NO_OVERQUOTA, NO_SERVERBUG, NO_EXPUNGEISSUED -> Fault.command(command, nthCommand).refuse(kind.status(), kind.code()).always();
        };
    }

    /**
     * Checks that a run under a fault ended as planned: completed without an error, or failed in
     * the folder with an entry naming it (and the server's response code, for a refusal); and that
     * a fault that must not be retried without end was not.
     */
    static void check(Kind kind, Planned planned, BackupReport report, FaultProxy proxy, String folder, int messages,
            String where) {
        assertThat(proxy.injected()).as("the fault struck: " + where).isPositive();
        Expect expect = planned.expect();
        if (expect == Expect.EITHER) {
            expect = report.allErrors().isEmpty() ? Expect.COMPLETES : Expect.FOLDER_FAILS;
        }
        if (expect == Expect.COMPLETES) {
            assertThat(report.allErrors()).as(where).isEmpty();
            assertThat(report.hasFailures()).as(where).isFalse();
            return;
        }
        assertThat(report.hasFailures()).as(where).isTrue();
        assertThat(report.allErrors()).as(where).isNotEmpty().allSatisfy(e -> {
            assertThat(e.folder()).as(where).contains(folder);
            if (kind.code() != null) {
                assertThat(e.message()).as(where).contains(kind.code());
            }
        });
        if (!kind.recovers) {
            // EXPUNGEISSUED speaks of messages: each fails alone, once; the others stop the folder at once
            int most = kind == Kind.NO_EXPUNGEISSUED ? 3 + 2 * messages : 3;
            assertThat(proxy.injected()).as("not retried without end: " + where).isLessThanOrEqualTo(most);
            String meaning = Map.of(Kind.NO_OVERQUOTA, "quota", Kind.NO_SERVERBUG, "internal error",
                    Kind.NO_EXPUNGEISSUED, "expunged").get(kind);
            assertThat(report.allErrors()).as("says what " + kind.code() + " means: " + where)
                    .allSatisfy(e -> assertThat(e.message()).contains(meaning).doesNotContainPattern("\\b[A-Z]+[0-9]+ NO "));
        }
        System.out.println("NET " + kind.label() + " report entry: " + report.allErrors().get(0));
    }

    /** The command a throttling refusal strikes: reading a folder, or appending. */
    private static String refused(Side side, Random rnd) {
        if (side == Side.APPEND) {
            return rnd.nextBoolean() ? "APPEND" : "SELECT";
        }
        return List.of("UID FETCH", "UID FETCH", "EXAMINE", "LIST").get(rnd.nextInt(4));
    }

    /** The tallies of one command's faults, printed as RELIABILITY lines. */
    static final class Tally {
        private final String command;
        private final long seed;
        private final Map<Kind, long[]> counts = new HashMap<>();

        Tally(String command, long seed) {
            this.command = command;
            this.seed = seed;
        }

        /** Counts one run under a fault: injected faults, messages lost and duplicated. */
        synchronized void add(Kind kind, int injected, long lost, long duplicated) {
            long[] c = counts.computeIfAbsent(kind, k -> new long[4]);
            c[0] += injected;
            c[1] += lost;
            c[2] += duplicated;
            c[3]++;
        }

        /** Prints one line per fault class (hangs are failures of the test's timeout: 0 when printed). */
        synchronized List<String> print() {
            return print(null);
        }

        /** As {@link #print()}, each line naming the fault {@code label} (null: the fault class). */
        synchronized List<String> print(String label) {
            List<String> lines = new ArrayList<>();
            for (Kind k : Kind.values()) {
                long[] c = counts.get(k);
                if (c != null) {
                    lines.add("RELIABILITY net " + command + " " + (label == null ? k.label() : label) + ": " + c[0]
                            + " faults injected, lost " + c[1] + ", duplicated " + c[2] + ", hangs 0, seed " + seed
                            + ", runs " + c[3]);
                }
            }
            lines.forEach(System.out::println);
            return lines;
        }
    }

    /** {@return the elements of {@code want} missing from {@code got}, copies counted} */
    static long missing(List<String> want, List<String> got) {
        Map<String, Integer> left = new HashMap<>();
        got.forEach(g -> left.merge(g, 1, Integer::sum));
        long missing = 0;
        for (String w : want) {
            Integer n = left.get(w);
            if (n == null || n == 0) {
                missing++;
            } else {
                left.put(w, n - 1);
            }
        }
        return missing;
    }
}
