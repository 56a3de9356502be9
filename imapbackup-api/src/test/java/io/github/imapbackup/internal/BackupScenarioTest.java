package io.github.imapbackup.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded scenarios: random changes on the source (new messages, copies, expunges, flags,
 * UIDVALIDITY changes), damage to the store (lost index, rolled-back state) and dropped
 * connections between runs. After every run the backup mirrors the server, and no message is
 * stored more often than the server ever held it at once.
 */
@Timeout(60)
class BackupScenarioTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final String[] FLAGS = {"\\Seen", "\\Answered", "\\Flagged", "$Label1"};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.github.imapbackup.internal.HeaderGenerator#seeds")
    void backupMirrorsTheServerAndNeverStoresTooManyCopies(long seed) throws Exception {
        Random r = new Random(seeds.use(seed));
        MemorySource source = new MemorySource();
        MemoryStore store = new MemoryStore();
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(switch (i % 4) {
                case 0 -> "Message-ID: <m" + i + "@x>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n";
                case 1 -> "Subject: no id " + i + "\r\n\r\nbody\r\n";
                case 2 -> "Message-ID: <same@x>\r\n\r\nbody " + "x".repeat(i) + "\r\n";
                default -> "Message-Id: <m" + i + "@x>\nSubject: lf " + i + "\n\nbody\n";
            });
        }
        String[] names = {"INBOX", "Archive/2019", "Sent"};
        Map<String, Map<String, Integer>> maxCopies = new HashMap<>();
        for (String n : names) {
            source.folder(n).condstore(r.nextBoolean());
            maxCopies.put(n, new HashMap<>());
        }
        for (int step = 0; step < 25; step++) {
            String where = "seed " + seed + ", step " + step;
            MemoryFolder f = source.folder(names[r.nextInt(names.length)]);
            int changes = r.nextInt(5);
            for (int c = 0; c < changes; c++) {
                long[] uids = f.uids();
                switch (r.nextInt(8)) {
                    case 0, 1, 2 -> f.add(pool.get(r.nextInt(pool.size())).getBytes(ISO_8859_1),
                            FLAGS[r.nextInt(FLAGS.length)]);
                    case 3 -> {
                        if (uids.length > 0) {
                            f.expunge(uids[r.nextInt(uids.length)]);
                        }
                    }
                    case 4 -> {
                        if (uids.length > 0) {
                            f.flags(uids[r.nextInt(uids.length)], FLAGS[r.nextInt(FLAGS.length)]);
                        }
                    }
                    case 5 -> f.uidValidity(f.uidValidity() + 1 + r.nextInt(100));
                    case 6 -> {
                        if (store.folderNames().contains(f.name()) && r.nextInt(3) == 0) {
                            store.loseIndex(f.name());
                        }
                    }
                    default -> {
                        if (store.folderNames().contains(f.name()) && r.nextInt(3) == 0) {
                            store.state(f.name(), null);
                        }
                    }
                }
                for (String n : names) {
                    Map<String, Integer> now = new HashMap<>();
                    MemoryFolder g = source.folder(n);
                    for (long uid : g.uids()) {
                        now.merge(new String(g.content(uid), ISO_8859_1), 1, Integer::sum);
                    }
                    now.forEach((k, v) -> maxCopies.get(n).merge(k, v, Math::max));
                }
            }
            if (r.nextInt(4) == 0) {
                source.dropConnectionAtOpenMessage(1 + r.nextInt(3));
            }
            BackupReport report = BackupSession.builder().source(source).target(store)
                    .connections(1 + r.nextInt(2)).build().run();
            assertThat(report.allErrors()).as(where).isEmpty();
            for (String n : names) {
                MemoryFolder g = source.folder(n);
                List<ArchivedMessage> stored = store.messages(n);
                List<ArchivedMessage> live = stored.stream()
                        .filter(m -> !m.expunged() && m.uidValidity() == g.uidValidity()).toList();
                assertThat(live.stream().map(ArchivedMessage::uid).sorted().toList()).as(where + " " + n)
                        .isEqualTo(MemorySource.list(g.uids()));
                for (ArchivedMessage m : live) {
                    assertThat(store.content(n, m)).as(where).isEqualTo(g.content(m.uid()));
                    assertThat(m.flags()).as(where).isEqualTo(g.flagsOf(m.uid()));
                }
                Map<String, Integer> storedCopies = new HashMap<>();
                stored.forEach(m -> storedCopies.merge(new String(store.content(n, m), ISO_8859_1), 1, Integer::sum));
                storedCopies.forEach((content, count) -> assertThat(count)
                        .as(where + " " + n + ": copies of " + content.lines().findFirst().orElse(""))
                        .isLessThanOrEqualTo(maxCopies.get(n).getOrDefault(content, 0)));
            }
        }
    }
}
