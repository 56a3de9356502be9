package io.github.imapbackup;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the target already holds of the source (a part of it, from an earlier or interrupted
 * restore), restoring leaves each folder holding exactly the source's messages, copies counted:
 * none lost, none twice; and restoring again adds nothing. Messages share Message-IDs with other
 * bytes, come twice or three times, have bare line feeds; the target may count CRLF sizes. (The
 * target knows no SHA-256: distinct messages of one identity and size are told apart by their
 * bytes, see docs/ARCHITECTURE.md, "Restore: an engine run".)
 */
@Timeout(60)
class RestorePropertyTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    static Stream<Long> seeds() {
        return Seeds.fixedAndFresh(8);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRestoreLeavesExactlyTheSourcesMessagesWhateverTheTargetHeld(long seed) throws Exception {
        Random r = new Random(seeds.use(seed));
        MemorySource full = new MemorySource("full");
        MemorySource part = new MemorySource("part");
        List<String> folders = List.of("INBOX", "Sent", "A/B").subList(0, 1 + r.nextInt(3));
        for (String folder : folders) {
            full.folder(folder);
            for (int m = r.nextInt(12); m > 0; m--) {
                int id = r.nextInt(3);
                // distinct messages of one identity, often of the same size; one identity's line ends
                // are all alike (a server may convert them, so they do not tell messages apart)
                String eol = id % 2 == 0 ? "\r\n" : "\n";
                byte[] bytes = ("Message-ID: <id" + id + "@example.org>" + eol + "Subject: "
                        + (r.nextInt(4) > 0 ? "v" + r.nextInt(3) : "x".repeat(7 * r.nextInt(3))) + eol + eol + "body"
                        + eol).getBytes(ISO_8859_1);
                int copies = 1 + (r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0);
                int held = r.nextInt(copies + 1);
                for (int c = 0; c < copies; c++) {
                    full.folder(folder).add(bytes);
                    if (c < held) {
                        part.folder(folder).add(bytes);
                    }
                }
            }
        }
        DirectoryTarget account = new DirectoryTarget(dir.resolve("account-" + seed)).crlfSizes(r.nextBoolean());
        RestoreSession.builder().source(part).target(account).build().run();

        BackupReport report = RestoreSession.builder().source(full).target(account).connections(1 + r.nextInt(3))
                .build().run();

        assertThat(report.hasFailures()).isFalse();
        for (String folder : folders) {
            assertThat(contents(account, folder)).as(folder).containsExactlyInAnyOrderElementsOf(contents(full, folder));
        }
        assertThat(RestoreSession.builder().source(full).target(account).build().run().totals().messagesCopied())
                .isZero();
    }

    private static List<String> contents(DirectoryTarget account, String folder) {
        List<String> out = new ArrayList<>();
        account.messages(folder).forEach(m -> out.add(new String(account.content(folder, m), ISO_8859_1)));
        return out;
    }

    private static List<String> contents(MemorySource source, String folder) {
        List<String> out = new ArrayList<>();
        for (long uid : source.folder(folder).uids()) {
            out.add(new String(source.folder(folder).content(uid), ISO_8859_1));
        }
        return out;
    }
}
