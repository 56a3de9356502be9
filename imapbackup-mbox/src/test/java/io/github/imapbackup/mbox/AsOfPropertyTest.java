package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random backup histories (appends and expunges in runs at random times, now and then a rewrite of
 * the index): for every time T, {@code asOf(T)} offers exactly the messages archived by T and not
 * marked expunged by T, in mbox order, and with {@code expungedOnly} those of them marked since.
 */
@Timeout(120)
class AsOfPropertyTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    /** What the test knows of a message: its id, when archived, when marked expunged (or null). */
    private static final class Known {
        final String id;
        final Instant archived;
        Instant expunged;

        Known(String id, Instant archived) {
            this.id = id;
            this.archived = archived;
        }
    }

    @RepeatedTest(5)
    void asOfOffersExactlyWhatWasInTheFolderThen() throws IOException {
        Random rnd = seeds.random();
        ArchiveSelectionTest.MovingClock clock = new ArchiveSelectionTest.MovingClock(ArchiveSelectionTest.T1);
        MboxStore store = MboxStore.builder(dir).clock(clock).build();
        List<Known> known = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        int next = 0;
        for (int run = 0; run < 6 + rnd.nextInt(5); run++) {
            clock.now = clock.now.plusSeconds(1 + rnd.nextInt(7200));
            times.add(clock.now);
            String delimiter = rnd.nextInt(4) == 0 ? "." : "/"; // a new delimiter rewrites the index
            try (FolderArchive a = store.open(new FolderInfo("INBOX", delimiter, Set.of(), true), EXTRACTOR)) {
                for (Known k : known) {
                    if (k.expunged == null && rnd.nextInt(4) == 0) {
                        a.markExpunged(known.indexOf(k) + 1L);
                        k.expunged = clock.now;
                    }
                }
                for (int n = rnd.nextInt(4); n > 0; n--) {
                    String id = "m" + next++;
                    ArchiveSelectionTest.append(a, known.size() + 1L, id, "2026-10-01T00:00:00Z");
                    known.add(new Known(id, clock.now));
                }
            }
        }
        List<Instant> probes = new ArrayList<>(times);
        times.forEach(t -> probes.add(t.minusSeconds(1)));
        probes.add(clock.now.plusSeconds(3600));
        for (Instant t : probes) {
            List<String> then = new ArrayList<>();
            List<String> deletedSince = new ArrayList<>();
            for (Known k : known) {
                if (!k.archived.isAfter(t) && (k.expunged == null || k.expunged.isAfter(t))) {
                    then.add(k.id);
                    if (k.expunged != null) {
                        deletedSince.add(k.id);
                    }
                }
            }
            assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(t).build()))
                    .as("as of %s", t).isEqualTo(then.isEmpty() ? Map.of() : Map.of("INBOX", then));
            assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(t).expungedOnly(true)
                    .build())).as("deleted since %s", t)
                    .isEqualTo(deletedSince.isEmpty() ? Map.of() : Map.of("INBOX", deletedSince));
        }
    }
}
