package io.github.imapbackup;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.ForwardingTarget;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.Seeds;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A migration whose source connection drops in the middle of a folder: the folder's copy goes on
 * over a new connection, every message of host1 is on host2 exactly once, and the counters count
 * each message once (copied + skipped = on host1) and the reconnection.
 */
@Timeout(20)
class MigrateReconnectTest {

    private final MemorySource host1 = new MemorySource("host1");

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    private static byte[] message(String id) {
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id + "\r\n\r\nbody of " + id + "\r\n")
                .getBytes(ISO_8859_1);
    }

    /**
     * host1's INBOX: 10 messages, one of them held twice (byte-identical) and one without a
     * Message-ID; host2 holds two of them already and one host1 does not hold.
     */
    private DirectoryTarget accounts(boolean pipelined) throws Exception {
        return accounts(host1, dir.resolve("host2"), pipelined);
    }

    private static DirectoryTarget accounts(MemorySource host1, Path root, boolean pipelined) throws Exception {
        MemoryFolder inbox = host1.folder("INBOX");
        for (String id : new String[] {"a", "b", "c", "d", "e", "f", "g", "h"}) {
            inbox.add(message(id));
        }
        inbox.add(message("c"));
        inbox.add("Subject: no id\r\n\r\nno Message-ID here\r\n".getBytes(ISO_8859_1));
        MemorySource earlier = new MemorySource("earlier");
        for (String id : new String[] {"a", "b", "other"}) {
            earlier.folder("INBOX").add(message(id));
        }
        DirectoryTarget host2 = new DirectoryTarget(root).pipelined(pipelined);
        MigrateSession.builder().source(earlier).target(host2).build().run();
        return host2;
    }

    /** {@return host2's INBOX as text, one entry per message held, sorted} */
    private static List<String> held(DirectoryTarget host2) {
        List<String> out = new ArrayList<>();
        for (ArchivedMessage m : host2.messages("INBOX")) {
            out.add(new String(host2.content("INBOX", m), ISO_8859_1));
        }
        out.sort(null);
        return out;
    }

    private List<String> expected() {
        List<String> out = new ArrayList<>();
        for (String id : new String[] {"a", "b", "c", "c", "d", "e", "f", "g", "h", "other"}) {
            out.add(new String(message(id), ISO_8859_1));
        }
        out.add("Subject: no id\r\n\r\nno Message-ID here\r\n");
        out.sort(null);
        return out;
    }

    /** {@return the totals of the same migration without a drop} */
    private Counters undisturbed() throws Exception {
        MemorySource same = new MemorySource("host1");
        return MigrateSession.builder().source(same).target(accounts(same, dir.resolve("undisturbed"), false)).build()
                .run().totals();
    }

    private void assertExact(BackupReport r, DirectoryTarget host2, long reconnects) throws Exception {
        Counters t = r.totals();
        assertThat(t.toBuilder().reconnectsToSource(0).deletedFromSource(0).build()).as("as without the drop").isEqualTo(undisturbed());
        assertThat(r.allErrors()).isEmpty();
        assertThat(held(host2)).as("every message of host1 on host2 exactly once").isEqualTo(expected());
        assertThat(t.messagesOnSource()).isEqualTo(10);
        assertThat(t.messagesCopied()).isEqualTo(8);
        assertThat(t.messagesSkipped()).isEqualTo(2);
        assertThat(t.messagesCopied() + t.messagesSkipped()).isEqualTo(t.messagesOnSource());
        assertThat(t.onlyOnTarget()).isEqualTo(1);
        assertThat(t.duplicatesOnTarget()).isZero();
        assertThat(t.reconnectsToSource()).isEqualTo(reconnects);
        assertThat(t.reconnectsToTarget()).isZero();
        assertThat(t.bytesCopied()).isEqualTo(held(host2).stream().mapToLong(String::length).sum()
                - message("a").length - message("b").length - message("other").length);
    }

    @ParameterizedTest(name = "drop at fetch {0}, pipelined target {1}")
    @CsvSource({"1, false", "4, false", "8, false", "4, true", "8, true"})
    void aDroppedSourceConnectionIsReopenedAndTheFolderCompletes(int at, boolean pipelined) throws Exception {
        DirectoryTarget host2 = accounts(pipelined);
        host1.dropConnectionAtOpenMessage(at);

        BackupReport r = MigrateSession.builder().source(host1).target(host2).build().run();

        assertExact(r, host2, 1);
        assertThat(host1.connects()).as("one connection, then one more").isEqualTo(2);
    }

    @Test
    void aConnectionDroppedInTheMiddleOfAMessageIsReopenedAtARandomPoint() throws Exception {
        Random rnd = seeds.random();
        DirectoryTarget host2 = accounts(rnd.nextBoolean());
        host1.dropConnectionMidStream(1 + rnd.nextInt(8), rnd.nextInt(40));

        BackupReport r = MigrateSession.builder().source(host1).target(host2).build().run();

        assertExact(r, host2, 1);
    }

    @Test
    void deletionsFromHost1RunOnceThePassAfterTheReconnectionCompleted() throws Exception {
        DirectoryTarget host2 = accounts(false);
        host1.dropConnectionAtOpenMessage(3);

        BackupReport r = MigrateSession.builder().source(host1).target(host2).deleteFromSource(true).build().run();

        assertExact(r, host2, 1);
        assertThat(r.totals().deletedFromSource()).isEqualTo(10);
        assertThat(host1.folder("INBOX").size()).isZero();
    }

    @Test
    void aConnectionThatCannotBeReopenedFailsTheFolderAfterTheAttemptsAndARerunCompletesIt() throws Exception {
        DirectoryTarget host2 = accounts(false);
        AtomicInteger connects = new AtomicInteger();
        MessageSource unreachable = new MessageSource() {
            @Override
            public SourceConnection connect() throws BackupException {
                if (connects.incrementAndGet() > 1) {
                    throw new ConnectionException("host1 unreachable", null);
                }
                return host1.connect();
            }

            @Override
            public String describe() {
                return "host1, reachable once";
            }
        };
        host1.dropConnectionAtOpenMessage(4);

        BackupReport first = MigrateSession.builder().source(unreachable).target(host2).build().run();

        assertThat(first.allErrors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("INBOX").contains("connection lost 4 times").contains("host1 unreachable"));
        assertThat(first.totals().messagesCopied()).as("committed before the drop").isEqualTo(3);
        assertThat(first.totals().reconnectsToSource()).isEqualTo(3);
        BackupReport again = MigrateSession.builder().source(host1).target(host2).build().run();
        assertThat(again.allErrors()).isEmpty();
        assertThat(held(host2)).isEqualTo(expected());
        assertThat(again.totals().messagesCopied()).isEqualTo(5);
        assertThat(again.totals().messagesSkipped()).isEqualTo(5);
    }

    @Test
    void aUidValidityChangedWhileReconnectingFailsTheFolderDeletesNothingAndARerunCompletesIt() throws Exception {
        DirectoryTarget host2 = accounts(false);
        MemoryFolder inbox = host1.folder("INBOX");
        AtomicInteger copied = new AtomicInteger();
        BackupListener renumber = new BackupListener() {
            @Override
            public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                if (copied.incrementAndGet() == 3) {
                    inbox.uidValidity(4242); // host1 rebuilt its index: the UIDs mean other messages now
                }
            }
        };
        host1.dropConnectionAtOpenMessage(4);

        BackupReport first = MigrateSession.builder().source(host1).target(host2).deleteFromSource(true)
                .listener(renumber).build().run();

        assertThat(first.allErrors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("UIDVALIDITY").contains("run again"));
        assertThat(first.totals().deletedFromSource()).isZero();
        assertThat(inbox.size()).isEqualTo(10);
        BackupReport again = MigrateSession.builder().source(host1).target(host2).build().run();
        assertThat(again.allErrors()).isEmpty();
        assertThat(held(host2)).isEqualTo(expected());
        assertThat(first.totals().messagesCopied() + again.totals().messagesCopied()).isEqualTo(8);
    }

    /** host2 as {@code host2} holds it, but its connection drops at the {@code n}-th APPEND (once). */
    private static MessageTarget droppingAtAppend(DirectoryTarget host2, int n) {
        AtomicInteger appends = new AtomicInteger();
        return new ForwardingTarget(host2) {
            @Override
            public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
                TargetFolder f = host2.open(folder, extractor);
                return new TargetFolder() {
                    @Override
                    public List<ArchivedMessage> messages() {
                        return f.messages();
                    }

                    @Override
                    public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
                        if (appends.incrementAndGet() == n) {
                            throw new ConnectionException("host2 closed the connection", null);
                        }
                        return f.append(message, content);
                    }

                    @Override
                    public void commit() throws BackupException {
                        f.commit();
                    }

                    @Override
                    public InputStream openMessage(ArchivedMessage message) throws BackupException {
                        return f.openMessage(message);
                    }

                    @Override
                    public void close() throws BackupException {
                        f.close();
                    }
                };
            }

            @Override
            public String describe() {
                return "host2, dropping";
            }
        };
    }

    @Test
    void aDroppedTargetConnectionFailsTheFolderWithoutReconnectingAndARerunCompletesIt() throws Exception {
        DirectoryTarget host2 = accounts(false);

        BackupReport first = MigrateSession.builder().source(host1).target(droppingAtAppend(host2, 4)).build().run();

        assertThat(first.allErrors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("the connection to the target was lost").contains("host2 closed the connection")
                .contains("run again"));
        assertThat(first.totals().reconnectsToSource()).isZero();
        assertThat(first.totals().reconnectsToTarget()).isZero();
        assertThat(first.totals().messagesCopied()).isEqualTo(3);
        BackupReport again = MigrateSession.builder().source(host1).target(host2).build().run();
        assertThat(again.allErrors()).isEmpty();
        assertThat(held(host2)).isEqualTo(expected());
        assertThat(again.totals().messagesCopied()).isEqualTo(5);
    }
}
