package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelined fetching against a real Dovecot, which runs pipelined UID FETCHes side by side (the
 * bodies of the next command arrive before the tagged OK of the one being read): a folder of many
 * small messages and several bigger than the fetch size, some exactly N × 1 MiB (an empty chunk
 * ends them), backed up on one connection and on two. Every message is stored once and exactly,
 * {@code verify} is clean, and on one connection no body is asked for twice.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DovecotPipelinedFetchIT {

    private static final String FOLDER = "Pipe";
    private static final int MIB = 1 << 20;
    private static final int SMALL = 400;
    /** After which small message each big one comes, and its size. */
    private static final Map<Integer, Integer> BIG = Map.of(20, MIB, 90, 2 * MIB, 91, 3 * MIB / 2,
            200, 3 * MIB, 310, 27 * MIB / 10, 399, 2 * MIB);
    private static final Pattern BODY_FETCH = Pattern.compile(
            "(?im)^\\S+ UID FETCH (\\S+) \\(UID BODY\\.PEEK\\[\\](?:<(\\d+)\\.\\d+>)?\\)\\r?$");

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).build();

    /** UID → SHA-256 of what was appended (Dovecot numbers the folder's messages from 1 in order). */
    private static final Map<Long, String> WANT = new TreeMap<>();
    /** UID → size. */
    private static final Map<Long, Integer> SIZES = new TreeMap<>();

    @BeforeAll
    static void load() throws Exception {
        Random rnd = new Random(16);
        List<ImapTestClient.Message> batch = new ArrayList<>();
        for (int i = 0; i < SMALL; i++) {
            add(batch, "<pipe" + i + "@example.org>", 500 + rnd.nextInt(rnd.nextBoolean() ? 4_000 : 60_000));
            if (BIG.containsKey(i)) {
                add(batch, "<pipe-big" + i + "@example.org>", BIG.get(i));
            }
        }
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder(FOLDER);
            c.appendAll(FOLDER, batch);
        }
    }

    private static void add(List<ImapTestClient.Message> batch, String id, int size) {
        byte[] m = exact(id, size);
        batch.add(new ImapTestClient.Message(m, Set.of(), Instant.parse("2024-01-01T00:00:00Z").plusSeconds(batch.size())));
        WANT.put((long) batch.size(), sha256(m));
        SIZES.put((long) batch.size(), size);
    }

    /** A message of exactly {@code size} bytes of CRLF lines. */
    private static byte[] exact(String id, int size) {
        StringBuilder sb = new StringBuilder(new String(Interop.big(id, size), StandardCharsets.US_ASCII));
        sb.setLength(size - 2);
        if (sb.charAt(sb.length() - 1) == '\r') {
            sb.setCharAt(sb.length() - 1, 'x');
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFolderOfSmallAndBigMessagesIsStoredExactlyOnce(int connections, @TempDir Path dir) throws Exception {
        BackupReport r;
        String sent;
        try (RecordingProxy proxy = new RecordingProxy(DOVECOT.port())) {
            r = BackupSession.builder().source(DovecotBigFolderIT.source(proxy.port(), Duration.ofSeconds(20)))
                    .target(Interop.store(dir)).folders(FOLDER).connections(connections).build().run();
            sent = proxy.sent();
        }
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isEqualTo(WANT.size());
        // archivedHashes fails on a UID stored twice or bytes that differ from the index's SHA-256
        assertThat(new TreeMap<>(Interop.archivedHashes(dir, FOLDER, "/"))).isEqualTo(WANT);
        assertThat(Interop.verify(dir)).isEmpty();
        if (connections == 1) {
            assertThat(bodyFetches(sent)).isEqualTo(planned());
        }
    }

    /** How often each body part was asked for: {@code "uid"} whole, {@code "uid@offset"} a chunk. */
    private static Map<String, Integer> bodyFetches(String sent) {
        Map<String, Integer> out = new TreeMap<>();
        Matcher m = BODY_FETCH.matcher(sent);
        while (m.find()) {
            for (String part : m.group(1).split(",")) {
                String[] ends = part.split(":");
                long from = Long.parseLong(ends[0]);
                long to = ends.length > 1 ? Long.parseLong(ends[1]) : from;
                for (long uid = from; uid <= to; uid++) {
                    out.merge(m.group(2) == null ? uid + "" : uid + "@" + m.group(2), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    /** Each body once: a small one whole, a big one in 1 MiB chunks (an exact multiple: and an empty one). */
    private static Map<String, Integer> planned() {
        Map<String, Integer> want = new TreeMap<>();
        SIZES.forEach((uid, size) -> {
            if (size <= MIB) {
                want.put(uid + "", 1);
                return;
            }
            for (long off = 0; off < size || off == size && size % MIB == 0; off += MIB) {
                want.put(uid + "@" + off, 1);
            }
        });
        return want;
    }
}
