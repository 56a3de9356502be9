package io.github.imapbackup.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.RecordingListener;
import io.github.imapbackup.testing.RecordingListener.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class BackupEngineTest {

    private final MemorySource source = new MemorySource();
    private final MemoryStore store = new MemoryStore();
    private final RecordingListener events = new RecordingListener();
    private int serial;

    private String message(String id) {
        serial++;
        return "Message-ID: <" + id + "@example.org>\r\nSubject: message " + serial
                + "\r\n\r\nbody " + serial + "\r\n";
    }

    private String messageWithoutId() {
        serial++;
        return "Subject: no id " + serial + "\r\n\r\nbody " + serial + "\r\n";
    }

    private BackupSession.Builder session() {
        return BackupSession.builder().source(source).target(store).listener(events);
    }

    private BackupReport run() throws BackupException {
        source.resetCounters();
        events.clear();
        return session().build().run();
    }

    private static FolderReport folder(BackupReport r, String name) {
        return r.folders().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** Asserts the store holds each source message of the folder exactly once, bound to its UID. */
    private void assertMirrors(String name) {
        MemoryFolder f = source.folder(name);
        List<ArchivedMessage> live = store.messages(name).stream()
                .filter(m -> !m.expunged() && m.uidValidity() == f.uidValidity()).toList();
        assertThat(live.stream().map(ArchivedMessage::uid).sorted().toList())
                .as("live UIDs of " + name).isEqualTo(MemorySource.list(f.uids()));
        for (ArchivedMessage m : live) {
            assertThat(store.content(name, m)).as("bytes of UID " + m.uid()).isEqualTo(f.content(m.uid()));
            assertThat(m.flags()).as("flags of UID " + m.uid()).isEqualTo(f.flagsOf(m.uid()));
        }
    }

    /** Each run copies what is new and follows flags and expunges. */
    @Nested
    class Incremental {

        @Test
        void firstRunCopiesEverything() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            inbox.add(message("b").getBytes(ISO_8859_1), "\\Seen", "$Label1");
            source.folder("Archive/2019").add(messageWithoutId());
            BackupReport r = run();
            assertThat(r.hasFailures()).isFalse();
            assertThat(r.command()).isEqualTo("backup");
            assertThat(r.dryRun()).isFalse();
            assertThat(r.folders()).extracting(FolderReport::name).containsExactly("INBOX", "Archive/2019");
            assertThat(folder(r, "INBOX").file()).isEqualTo("INBOX.mbox");
            Counters t = r.totals();
            assertThat(t.messagesOnSource()).isEqualTo(3);
            assertThat(t.messagesCopied()).isEqualTo(3);
            assertThat(t.messagesSkipped()).isZero();
            assertThat(t.errors()).isZero();
            assertThat(t.bytesCopied()).isEqualTo(inbox.content(1).length + inbox.content(2).length
                    + source.folder("Archive/2019").content(1).length);
            assertMirrors("INBOX");
            assertMirrors("Archive/2019");
            assertThat(store.messages("INBOX").get(0).identity().value()).isEqualTo("mid:<a@example.org>");
            assertThat(store.messages("Archive/2019").get(0).identity().synthetic()).isTrue();
            FolderState s = store.state("INBOX").orElseThrow();
            assertThat(s.uidValidity()).isEqualTo(inbox.uidValidity());
            assertThat(s.uidNext()).isEqualTo(3);
            assertThat(s.messages()).isEqualTo(2);
            assertThat(s.highestModSeq()).isPositive();
            assertThat(events.count(Type.SESSION_STARTED)).isEqualTo(1);
            assertThat(events.count(Type.MESSAGE_COPIED)).isEqualTo(3);
            assertThat(events.count(Type.FOLDER_FINISHED)).isEqualTo(2);
            assertThat(events.report()).isEqualTo(r);
            assertThat(events.events().get(events.events().size() - 1).type()).isEqualTo(Type.SESSION_FINISHED);
            assertThat(source.openConnections()).isZero();
        }

        @Test
        void secondRunWithNothingChangedFetchesNothing() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 5; i++) {
                inbox.add(message("m" + i));
            }
            run();
            int writes = store.writes();
            BackupReport r = run();
            assertThat(source.openCalls()).isZero();
            assertThat(source.messagesCalls()).isZero();
            assertThat(source.flagsCalls()).isZero();
            assertThat(source.openMessageCalls()).isZero();
            assertThat(source.statusCalls()).isEqualTo(1);
            assertThat(store.writes()).isEqualTo(writes);
            assertThat(r.totals().messagesCopied()).isZero();
            assertThat(r.totals().messagesSkipped()).isEqualTo(5);
            assertThat(r.totals().messagesOnSource()).isEqualTo(5);
            assertThat(r.hasFailures()).isFalse();
            assertThat(store.messages("INBOX")).hasSize(5);
        }

        @Test
        void onlyNewMessagesAreCopied() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            inbox.add(message("b"));
            run();
            inbox.add(message("c"));
            inbox.add(message("d"));
            BackupReport r = run();
            assertThat(source.openMessageCalls()).isEqualTo(2);
            assertThat(source.messagesCalls()).isEqualTo(1);
            assertThat(r.totals().messagesCopied()).isEqualTo(2);
            assertThat(r.totals().messagesSkipped()).isEqualTo(2);
            assertThat(events.events(Type.MESSAGE_COPIED)).extracting(RecordingListener.Event::uid).containsExactly(3L, 4L);
            assertThat(store.messages("INBOX")).hasSize(4);
            assertMirrors("INBOX");
        }

        @Test
        void flagChangesArePickedUpWithCondstore() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            long a = inbox.add(message("a"));
            inbox.add(message("b"));
            run();
            inbox.flags(a, "\\Seen", "\\Flagged");
            BackupReport r = run();
            assertThat(r.totals().flagsUpdated()).isEqualTo(1);
            assertThat(r.totals().messagesCopied()).isZero();
            assertThat(source.openMessageCalls()).isZero();
            assertMirrors("INBOX");
            assertThat(run().totals().flagsUpdated()).isZero();
            assertThat(source.openCalls()).isZero();
        }

        @Test
        void flagChangesArePickedUpWithoutCondstore() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.condstore(false);
            long a = inbox.add(message("a"));
            inbox.add(message("b"));
            run();
            BackupReport unchanged = run();
            assertThat(source.openCalls()).isEqualTo(1);
            assertThat(source.flagsCalls()).isEqualTo(1);
            assertThat(source.messagesCalls()).isZero();
            assertThat(source.uidsCalls()).isZero();
            assertThat(source.openMessageCalls()).isZero();
            assertThat(unchanged.totals().flagsUpdated()).isZero();
            inbox.flags(a, "\\Answered");
            BackupReport r = run();
            assertThat(r.totals().flagsUpdated()).isEqualTo(1);
            assertThat(source.messagesCalls()).isZero();
            assertMirrors("INBOX");
        }

        @Test
        void expungedMessagesAreMarkedAndKept() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            long b = inbox.add(message("b"));
            inbox.add(message("c"));
            run();
            inbox.expunge(b);
            BackupReport r = run();
            assertThat(r.totals().messagesExpunged()).isEqualTo(1);
            assertThat(r.totals().messagesOnSource()).isEqualTo(2);
            assertThat(store.messages("INBOX")).hasSize(3);
            assertThat(store.messages("INBOX")).filteredOn(ArchivedMessage::expunged)
                    .extracting(ArchivedMessage::uid).containsExactly(b);
            assertMirrors("INBOX");
            assertThat(run().totals().messagesExpunged()).isZero();
        }

        @Test
        void withQresyncExpungesComeFromTheVanishedAnswerWithoutListingEveryUid() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.qresync(true, 0);
            long a = inbox.add(message("a"));
            long b = inbox.add(message("b"));
            inbox.add(message("c"));
            run();
            inbox.expunge(a);
            inbox.expunge(b);
            long d = inbox.add(message("d"));
            BackupReport r = run();
            assertThat(r.totals().messagesExpunged()).isEqualTo(2);
            assertThat(r.totals().messagesCopied()).isEqualTo(1);
            assertThat(source.expungedSinceCalls()).isPositive();
            assertThat(source.uidsCalls()).as("no UID SEARCH ALL").isZero();
            assertThat(store.messages("INBOX")).filteredOn(ArchivedMessage::expunged)
                    .extracting(ArchivedMessage::uid).containsExactly(a, b);
            assertThat(store.messages("INBOX")).extracting(ArchivedMessage::uid).contains(d);
            assertMirrors("INBOX");
        }

        @Test
        void aVanishedAnswerThatDisagreesWithTheCountFallsBackToListingEveryUid() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            long a = inbox.add(message("a"));
            inbox.add(message("b"));
            inbox.add(message("c"));
            run();
            inbox.qresync(true, 1); // names a live message as expunged
            inbox.expunge(a);
            BackupReport r = run();
            assertThat(source.expungedSinceCalls()).isPositive();
            assertThat(source.uidsCalls()).isPositive();
            assertThat(r.totals().messagesExpunged()).isEqualTo(1);
            assertThat(store.messages("INBOX")).filteredOn(ArchivedMessage::expunged)
                    .extracting(ArchivedMessage::uid).containsExactly(a);
            assertMirrors("INBOX");
        }
    }

    /** No message is stored twice nor dropped, whatever happened to the index or the server. */
    @Nested
    class NeverTwice {

        @Test
        void uidValidityChangeAdoptsInsteadOfCopying() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            inbox.add(messageWithoutId());
            inbox.add(message("c"));
            run();
            inbox.expunge(1);
            inbox.uidValidity(5000);
            inbox.add(message("d"));
            BackupReport r = run();
            assertThat(r.totals().messagesCopied()).isEqualTo(1);
            assertThat(r.totals().messagesSkipped()).isEqualTo(2);
            assertThat(source.openMessageCalls()).isEqualTo(1);
            assertThat(store.messages("INBOX")).hasSize(4);
            assertMirrors("INBOX");
            assertThat(store.state("INBOX").orElseThrow().uidValidity()).isEqualTo(5000);
            // the message gone before the change stays with its old binding
            assertThat(store.messages("INBOX").get(0).uidValidity()).isNotEqualTo(5000);
            BackupReport again = run();
            assertThat(again.totals().messagesCopied()).isZero();
            assertThat(source.openCalls()).isZero();
        }

        @Test
        void lostIndexCausesNoDuplicates() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 4; i++) {
                inbox.add(i % 2 == 0 ? message("m" + i) : messageWithoutId());
            }
            inbox.flags(2, "\\Seen");
            run();
            store.loseIndex("INBOX");
            inbox.add(message("new"));
            BackupReport r = run();
            assertThat(r.totals().messagesCopied()).isEqualTo(1);
            assertThat(r.totals().messagesSkipped()).isEqualTo(4);
            assertThat(store.messages("INBOX")).hasSize(5);
            assertMirrors("INBOX");
        }

        @Test
        void crashBetweenAppendAndStateCommitCausesNoDuplicates() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            run();
            FolderState before = store.state("INBOX").orElseThrow();
            inbox.add(message("b"));
            inbox.add(message("c"));
            run();
            store.state("INBOX", before);
            BackupReport r = run();
            assertThat(r.totals().messagesCopied()).isZero();
            assertThat(store.messages("INBOX")).hasSize(3);
            store.state("INBOX", null);
            assertThat(run().totals().messagesCopied()).isZero();
            assertThat(store.messages("INBOX")).hasSize(3);
            assertMirrors("INBOX");
        }

        @Test
        void duplicatesOnSourceCountsExtraByteIdenticalCopiesOnly() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            String thrice = message("thrice");
            for (int i = 0; i < 3; i++) {
                inbox.add(thrice);
            }
            // same Message-ID and same size, different bytes: distinct messages, no duplicates
            inbox.add("Message-ID: <same@example.org>\r\nSubject: A\r\n\r\nbody\r\n");
            inbox.add("Message-ID: <same@example.org>\r\nSubject: B\r\n\r\nbody\r\n");
            inbox.add(message("once"));
            BackupReport first = run();
            assertThat(first.totals().messagesCopied()).isEqualTo(6);
            assertThat(first.totals().duplicatesOnSource()).isEqualTo(2);
            // a copy whose twin was stored in an earlier run
            String later = message("later");
            inbox.add(later);
            assertThat(run().totals().duplicatesOnSource()).isEqualTo(2);
            inbox.add(later);
            BackupReport third = run();
            assertThat(third.totals().messagesCopied()).isEqualTo(1);
            assertThat(third.totals().duplicatesOnSource()).isEqualTo(3);
            // an expunged copy is no longer held twice
            inbox.expunge(inbox.uids()[0]);
            assertThat(run().totals().duplicatesOnSource()).isEqualTo(2);
            assertMirrors("INBOX");
        }

        @Test
        void messagesLostToAFailedCommitAreErrorsNotCopies() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 5; i++) {
                inbox.add(message("m" + i));
            }
            store.failCommits("INBOX", true);
            BackupReport r = run();
            FolderReport f = folder(r, "INBOX");
            assertThat(f.counters().messagesCopied()).as("nothing was kept").isZero();
            assertThat(f.counters().bytesCopied()).isZero();
            assertThat(r.hasFailures()).isTrue();
            assertThat(f.errors()).extracting(e -> e.uid()).containsAll(MemorySource.list(inbox.uids()));
            assertThat(f.errors()).filteredOn(e -> e.uid() > 0).allSatisfy(e ->
                    assertThat(e.message()).contains("INBOX.mbox").contains("not kept").contains("No space left"));
            // the listener's view: each messageCopied is corrected by a later messageFailed
            for (long uid : inbox.uids()) {
                List<Type> order = events.events().stream().filter(e -> e.uid() == uid)
                        .map(RecordingListener.Event::type).toList();
                assertThat(order).as("events of UID " + uid).containsSubsequence(Type.MESSAGE_COPIED, Type.MESSAGE_FAILED);
            }
            assertThat(store.messages("INBOX")).isEmpty();
            store.failCommits("INBOX", false);
            BackupReport again = run();
            assertThat(again.totals().messagesCopied()).isEqualTo(5);
            assertThat(again.hasFailures()).isFalse();
            assertMirrors("INBOX");
        }

        @Test
        void aMessageHeldTwiceIsStoredTwiceNeverThrice() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            String twice = message("twice");
            inbox.add(twice);
            inbox.add(twice);
            inbox.add(message("once"));
            BackupReport r = run();
            assertThat(r.totals().messagesCopied()).isEqualTo(3);
            assertThat(r.totals().duplicatesOnSource()).isEqualTo(1);
            assertThat(run().totals().messagesCopied()).isZero();
            store.loseIndex("INBOX");
            assertThat(run().totals().messagesCopied()).isZero();
            inbox.uidValidity(9999);
            BackupReport afterChange = run();
            assertThat(afterChange.totals().messagesCopied()).isZero();
            assertThat(afterChange.totals().duplicatesOnSource()).isEqualTo(1);
            assertThat(store.messages("INBOX")).hasSize(3);
            inbox.add(twice);
            assertThat(run().totals().messagesCopied()).isEqualTo(1);
            assertThat(store.messages("INBOX")).hasSize(4);
            assertMirrors("INBOX");
        }

        @Test
        void sameMessageIdDifferentBytesAreBothKept() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add("Message-ID: <same@x>\r\n\r\nfirst\r\n");
            inbox.add("Message-ID: <same@x>\r\n\r\nsecond, longer\r\n");
            run();
            store.loseIndex("INBOX");
            assertThat(run().totals().messagesCopied()).isZero();
            assertThat(store.messages("INBOX")).hasSize(2);
            assertMirrors("INBOX");
        }

        @Test
        void aServerThatMisreportsSizesStillCausesNoDuplicatesAfterALostIndex() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.misreportSizes(7);
            inbox.add("Message-ID: <same@x>\r\n\r\nfirst\r\n");
            inbox.add("Message-ID: <same@x>\r\n\r\nsecond, longer\r\n");
            inbox.add(message("other"));
            inbox.add(messageWithoutId());
            run();
            store.loseIndex("INBOX");
            inbox.add("Message-ID: <same@x>\r\n\r\nthird, distinct\r\n");
            BackupReport r = run();
            assertThat(r.totals().messagesCopied()).isEqualTo(1);
            assertThat(r.totals().messagesSkipped()).isEqualTo(4);
            assertThat(store.messages("INBOX")).hasSize(5);
            assertMirrors("INBOX");
            // the ambiguous ones were fetched once to hash them, then only the distinct one again
            assertThat(source.openMessageCalls()).isEqualTo(5 + 1);
            assertThat(run().totals().messagesCopied()).isZero();
        }
    }

    /** Lost connections are resumed; a failing message or folder is reported and the rest goes on. */
    @Nested
    class Failures {

        @Test
        void connectionDropAtMessageFetchIsResumedWithoutDuplicateOrLoss() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 6; i++) {
                inbox.add(message("m" + i));
            }
            source.folder("Other").add(message("o"));
            source.dropConnectionAtOpenMessage(3);
            // one connection: the count of connects below assumes the folders go one after the other
            BackupReport r = session().connections(1).build().run();
            assertThat(r.hasFailures()).isFalse();
            assertThat(r.totals().messagesCopied()).isEqualTo(7);
            assertThat(store.messages("INBOX")).hasSize(6);
            assertMirrors("INBOX");
            assertMirrors("Other");
            assertThat(source.connects()).isEqualTo(2);
            assertThat(source.openConnections()).isZero();
        }

        @Test
        void connectionDropInsideAMessageStreamIsResumed() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 4; i++) {
                inbox.add(message("m" + i));
            }
            source.dropConnectionMidStream(2, 10);
            BackupReport r = session().build().run();
            assertThat(r.hasFailures()).isFalse();
            assertThat(store.messages("INBOX")).hasSize(4);
            assertMirrors("INBOX");
            assertThat(r.totals().messagesCopied()).isEqualTo(4);
        }

        @Test
        void reconnectingGivesUpAfterTheAttempts() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            inbox.add(message("b"));
            source.folder("Later").add(message("l"));
            source.dropConnectionAtOpenMessage(2);
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            events.hook(e -> {
                if (e.type() == Type.MESSAGE_COPIED && once.compareAndSet(false, true)) {
                    source.failConnect(new ConnectionException("server down", null), 1);
                }
            });
            BackupReport r = session().connections(1).reconnectAttempts(1).build().run(); // folders in order
            events.hook(e -> { });
            FolderReport f = folder(r, "INBOX");
            assertThat(f.failed()).isTrue();
            assertThat(f.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("connection lost"));
            assertThat(f.counters().messagesCopied()).isEqualTo(1);
            assertThat(store.messages("INBOX")).hasSize(1);
            assertThat(r.hasFailures()).isTrue();
            // the next folder reconnects and is done
            assertMirrors("Later");
            assertThat(run().totals().messagesCopied()).isEqualTo(1);
            assertMirrors("INBOX");
        }

        @Test
        void oneFailingFolderDoesNotStopTheOthers() throws Exception {
            source.folder("A").add(message("a"));
            source.folder("Broken").add(message("x"));
            source.folder("Broken").failing(true);
            source.folder("C").add(message("c"));
            BackupReport r = run();
            assertThat(r.hasFailures()).isTrue();
            assertThat(r.totals().errors()).isEqualTo(1);
            assertThat(folder(r, "Broken").errors()).singleElement()
                    .satisfies(e -> assertThat(e.folder()).isEqualTo("Broken"));
            assertThat(r.allErrors()).hasSize(1);
            assertMirrors("A");
            assertMirrors("C");
            assertThat(events.events(Type.FOLDER_FAILED)).extracting(RecordingListener.Event::folder)
                    .containsExactly("Broken");
            assertThat(events.count(Type.FOLDER_FINISHED)).isEqualTo(2);
        }

        @Test
        void aFailingMessageIsReportedAndFetchedAgainNextRun() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 4; i++) {
                inbox.add(message("m" + i));
            }
            inbox.failMessage(2, true);
            BackupReport r = run();
            assertThat(r.hasFailures()).isTrue();
            assertThat(r.allErrors()).singleElement().satisfies(e -> {
                assertThat(e.uid()).isEqualTo(2);
                assertThat(e.folder()).isEqualTo("INBOX");
            });
            assertThat(r.totals().messagesCopied()).isEqualTo(3);
            assertThat(events.events(Type.MESSAGE_FAILED)).extracting(RecordingListener.Event::uid).containsExactly(2L);
            inbox.failMessage(2, false);
            BackupReport next = run();
            assertThat(next.hasFailures()).isFalse();
            assertThat(next.totals().messagesCopied()).isEqualTo(1);
            assertThat(store.messages("INBOX")).hasSize(4);
            assertMirrors("INBOX");
            assertThat(run().totals().messagesCopied()).isZero();
            assertThat(source.openCalls()).isZero();
        }

        @Test
        void anAppendFailureLeavesNothingAndIsReported() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            store.failAppends("INBOX", true);
            BackupReport r = run();
            assertThat(r.hasFailures()).isTrue();
            assertThat(store.messages("INBOX")).isEmpty();
            store.failAppends("INBOX", false);
            assertThat(run().totals().messagesCopied()).isEqualTo(1);
            assertMirrors("INBOX");
        }

        @Test
        void failFastStopsAtTheFirstFailureAfterCommitting() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 4; i++) {
                inbox.add(message("m" + i));
            }
            inbox.failMessage(2, true);
            source.folder("Next").add(message("n"));
            // one connection, so that "Next" comes after the failing "INBOX"
            assertThatThrownBy(() -> session().connections(1).failFast(true).build().run())
                    .isInstanceOf(FolderException.class)
                    .satisfies(e -> assertThat(((FolderException) e).uid()).hasValue(2));
            assertThat(store.messages("INBOX")).hasSize(1);
            assertThat(store.messages("Next")).isEmpty();
            assertThat(events.report()).isNotNull();
            assertThat(events.report().hasFailures()).isTrue();
        }

        @Test
        void connectionFailuresAtTheStartPropagate() {
            source.folder("INBOX").add(message("a"));
            source.failConnect(new AuthenticationException("login refused", null), 1);
            assertThatThrownBy(() -> session().build().run()).isInstanceOf(AuthenticationException.class);
            assertThat(events.report()).isNotNull();
            assertThat(events.report().errors()).singleElement()
                    .satisfies(e -> assertThat(e.message()).isEqualTo("login refused"));
            source.failConnect(new ConnectionException("unreachable", null), 1);
            assertThatThrownBy(() -> session().build().plan()).isInstanceOf(ConnectionException.class);
            assertThat(store.writes()).isZero();
        }
    }

    /** Which folders a run takes. */
    @Nested
    class Selection {

        @Test
        void folderSelectionHonoursNamesExcludesAndSubscriptions() throws Exception {
            source.folder("INBOX").add(message("i"));
            source.folder("Trash").add(message("t"));
            source.folder("Junk").add(message("j"));
            source.folder("Archive").attributes("\\Noselect");
            source.folder("Archive/2019").add(message("a"));
            source.folder("Unsubscribed").subscribed(false);
            source.folder("Unsubscribed").add(message("u"));

            BackupReport all = session().exclude("Trash|Junk").build().plan();
            assertThat(all.folders()).extracting(FolderReport::name)
                    .containsExactly("INBOX", "Archive/2019", "Unsubscribed");

            BackupReport subscribed = session().subscribedOnly(true).exclude("Arch.*").build().plan();
            assertThat(subscribed.folders()).extracting(FolderReport::name)
                    .containsExactly("INBOX", "Trash", "Junk");

            BackupReport named = session().folders("Junk", "Missing", "INBOX", "Archive").build().run();
            assertThat(named.folders()).extracting(FolderReport::name)
                    .containsExactly("Missing", "Archive", "INBOX", "Junk");
            assertThat(folder(named, "Missing").errors()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("not found"));
            assertThat(folder(named, "Archive").errors()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("cannot be selected"));
            assertThat(named.hasFailures()).isTrue();
            assertThat(store.folderNames()).containsExactlyInAnyOrder("INBOX", "Junk");
        }
    }

    /** A dry run changes nothing and reports what a run would do. */
    @Nested
    class DryRun {

        @Test
        void aDryRunDownloadsNothingEvenWhenSizesDisagree() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            run();
            store.loseIndex("INBOX");
            inbox.misreportSizes(3);
            source.resetCounters();
            BackupReport plan = session().build().plan();
            assertThat(source.openMessageCalls()).isZero();
            assertThat(plan.totals().messagesCopied()).isEqualTo(1);
            assertThat(store.messages("INBOX")).hasSize(1);
        }

        @Test
        void dryRunWritesNothingAndReportsWhatWouldBeCopied() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add(message("a"));
            long b = inbox.add(message("b"));
            BackupReport plan = session().build().plan();
            assertThat(plan.dryRun()).isTrue();
            assertThat(plan.totals().messagesCopied()).isEqualTo(2);
            assertThat(plan.totals().bytesCopied()).isEqualTo(inbox.content(1).length + inbox.content(b).length);
            assertThat(store.writes()).isZero();
            assertThat(store.folderNames()).isEmpty();
            assertThat(source.openMessageCalls()).isZero();
            assertThat(events.events(Type.SESSION_STARTED)).singleElement().satisfies(e -> assertThat(e.value()).isEqualTo(1));

            run();
            int writes = store.writes();
            inbox.add(message("c"));
            inbox.flags(b, "\\Seen");
            inbox.expunge(1);
            source.resetCounters();
            BackupReport second = session().build().plan();
            assertThat(second.totals().messagesCopied()).isEqualTo(1);
            assertThat(second.totals().flagsUpdated()).isEqualTo(1);
            assertThat(second.totals().messagesExpunged()).isEqualTo(1);
            assertThat(second.totals().messagesSkipped()).isEqualTo(1);
            assertThat(store.writes()).isEqualTo(writes);
            assertThat(source.openMessageCalls()).isZero();
            assertThat(store.messages("INBOX")).hasSize(2).noneMatch(ArchivedMessage::expunged);
        }
    }

    /** A cancelled or interrupted run stops at a message boundary. */
    @Nested
    class Cancel {

        @Test
        void cancelFromAnotherThreadStopsAtAMessageBoundary() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 8; i++) {
                inbox.add(message("m" + i));
            }
            source.folder("Z").add(message("z"));
            // one connection, so that "Z" comes after the cancelled "INBOX"
            BackupSession session = session().connections(1).build();
            source.stallAtOpenMessage(3);
            ExecutorService exec = Executors.newSingleThreadExecutor();
            try {
                Future<BackupReport> result = exec.submit(session::run);
                assertThat(source.awaitStall(10)).isTrue();
                session.cancel();
                source.releaseStall();
                assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(CancelledException.class);
            } finally {
                exec.shutdownNow();
            }
            // the message in flight when cancel() came is dropped, not finished: the next read stops it
            assertThat(store.messages("INBOX")).hasSize(2);
            assertThat(store.messages("Z")).isEmpty();
            assertThat(events.report()).isNotNull();
            assertThat(events.report().totals().messagesCopied()).isEqualTo(2);
            assertThat(events.report().totals().errors()).as("a cancel is no failure").isZero();
            // the session is usable again: the rest is copied, nothing twice
            BackupReport rest = run();
            assertThat(rest.totals().messagesCopied()).isEqualTo(7);
            assertMirrors("INBOX");
            assertMirrors("Z");
        }

        @Test
        void interruptionCancelsTheRun() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 5; i++) {
                inbox.add(message("m" + i));
            }
            source.stallAtOpenMessage(2);
            BackupSession session = session().build();
            Thread[] worker = new Thread[1];
            Throwable[] thrown = new Throwable[1];
            boolean[] stillInterrupted = new boolean[1];
            worker[0] = new Thread(() -> {
                try {
                    session.run();
                } catch (Throwable t) {
                    thrown[0] = t;
                    stillInterrupted[0] = Thread.currentThread().isInterrupted();
                }
            });
            worker[0].start();
            assertThat(source.awaitStall(10)).isTrue();
            worker[0].interrupt();
            worker[0].join(10_000);
            assertThat(thrown[0]).isInstanceOf(CancelledException.class);
            assertThat(stillInterrupted[0]).isTrue();
            assertThat(store.messages("INBOX")).hasSize(1);
            assertThat(events.report().allErrors()).isEmpty();
            assertThat(run().totals().messagesCopied()).isEqualTo(4);
            assertMirrors("INBOX");
        }
    }

    /** Folders share out over several connections, opened only when needed. */
    @Nested
    class Connections {

        @Test
        void foldersRunInParallelOnSeveralConnections() throws Exception {
            for (int f = 0; f < 6; f++) {
                for (int i = 0; i < 5; i++) {
                    source.folder("F" + f).add(message("f" + f + "m" + i));
                }
            }
            source.folder("F3").failing(true);
            BackupReport r = session().connections(3).build().run();
            assertThat(r.folders()).extracting(FolderReport::name).containsExactly("F0", "F1", "F2", "F3", "F4", "F5");
            assertThat(r.totals().messagesCopied()).isEqualTo(25);
            assertThat(r.hasFailures()).isTrue();
            assertThat(source.connects()).isEqualTo(3);
            assertThat(source.openConnections()).isZero();
            for (int f = 0; f < 6; f++) {
                if (f != 3) {
                    assertMirrors("F" + f);
                }
            }
            Map<String, Set<String>> threadsByFolder = new HashMap<>();
            events.events(Type.MESSAGE_COPIED).forEach(e ->
                    threadsByFolder.computeIfAbsent(e.folder(), k -> new java.util.HashSet<>()).add(e.thread()));
            assertThat(threadsByFolder.values()).allSatisfy(t -> assertThat(t).hasSize(1));
        }

        @Test
        void severalConnectionsTakeTheBiggestFoldersFirstAndReportInListingOrder() throws Exception {
            int[] sizes = {2, 1, 9, 4, 3};
            for (int f = 0; f < sizes.length; f++) {
                for (int i = 0; i < sizes[f]; i++) {
                    source.folder("F" + f).add(message("f" + f + "m" + i));
                }
            }
            source.listsMessageCounts(true);
            BackupReport r = session().connections(2).build().run();
            assertThat(r.folders()).extracting(FolderReport::name).containsExactly("F0", "F1", "F2", "F3", "F4");
            assertThat(r.totals().messagesCopied()).isEqualTo(19);
            List<String> opens = source.opens();
            assertThat(opens).hasSize(5);
            // the first connection takes the smallest, so that bodies flow at once, then the biggest
            // (the second starts when the first folder opens, and may find nothing left: the memory
            // source is fast)
            assertThat(opens).filteredOn(o -> o.startsWith("1:")).first().isEqualTo("1:F1");
            for (String c : List.of("1:", "2:")) {
                // each connection takes from the one list, biggest first: its folders get smaller
                List<Integer> taken = opens.stream().filter(o -> o.startsWith(c) && !o.endsWith(":F1"))
                        .map(o -> sizes[Integer.parseInt(o.substring(o.indexOf(":F") + 2))]).toList();
                assertThat(taken).as("sizes of the folders connection " + c + " opened").isSortedAccordingTo(
                        java.util.Comparator.reverseOrder());
            }
            for (int f = 0; f < sizes.length; f++) {
                assertMirrors("F" + f);
            }
        }

        @Test
        void withoutListedCountsFoldersAreTakenInListingOrder() throws Exception {
            for (int f = 0; f < 3; f++) {
                for (int i = 0; i <= 3 * f; i++) {
                    source.folder("F" + f).add(message("f" + f + "m" + i));
                }
            }
            session().connections(2).build().run();
            assertThat(source.opens()).filteredOn(o -> o.startsWith("1:")).first().isEqualTo("1:F0");
            source.resetCounters();
            for (int f = 0; f < 3; f++) {
                source.folder("F" + f).add(message("late" + f));
            }
            source.listsMessageCounts(true);
            assertThat(session().connections(1).build().run().totals().messagesCopied()).isEqualTo(3);
            assertThat(source.opens()).as("one connection: the listing's order").containsExactly("1:F0", "1:F1", "1:F2");
        }

        @Test
        void extraConnectionsOpenOnlyWhenAFolderNeedsMoreThanStatus() throws Exception {
            for (int f = 0; f < 4; f++) {
                source.folder("F" + f).add(message("f" + f));
            }
            assertThat(session().connections(3).build().run().totals().messagesCopied()).isEqualTo(4);
            assertThat(source.connects()).isEqualTo(3);
            source.resetCounters();
            BackupReport nothingNew = session().connections(3).build().run();
            assertThat(nothingNew.totals().messagesCopied()).isZero();
            assertThat(source.connects()).as("nothing new: one connection").isEqualTo(1);
            assertThat(source.openCalls()).isZero();
            source.resetCounters();
            source.folder("F2").add(message("late"));
            assertThat(session().connections(3).build().run().totals().messagesCopied()).isEqualTo(1);
            // F2 opens with one folder (F3) not yet taken: one extra connection, not two
            assertThat(source.connects()).as("extra connections start when a folder opens").isEqualTo(2);
            assertThat(source.openConnections()).isZero();
        }
    }

    /** What the listener hears and the report says. */
    @Nested
    class Reporting {

        @Test
        void aThrowingListenerDoesNotStopTheRun() throws Exception {
            source.folder("INBOX").add(message("a"));
            source.folder("INBOX").add(message("b"));
            source.folder("Broken").failing(true);
            RecordingListener throwing = new RecordingListener(true);
            BackupReport r = BackupSession.builder().source(source).target(store).listener(throwing).build().run();
            assertThat(r.totals().messagesCopied()).isEqualTo(2);
            assertThat(throwing.count(Type.MESSAGE_COPIED)).isEqualTo(2);
            assertThat(throwing.count(Type.SESSION_FINISHED)).isEqualTo(1);
            assertThat(throwing.count(Type.FOLDER_FAILED)).isEqualTo(1);
            assertMirrors("INBOX");
        }

        @Test
        void commitsDuringLongFoldersAndReportsBytesInFlight() throws Exception {
            MemoryFolder inbox = source.folder("INBOX");
            for (int i = 0; i < 1100; i++) {
                inbox.add("Message-ID: <n" + i + "@x>\r\n\r\n" + i + "\r\n");
            }
            byte[] big = ("Message-ID: <big@x>\r\n\r\n" + "x".repeat(200_000) + "\r\n").getBytes(ISO_8859_1);
            inbox.add(big);
            BackupReport r = run();
            assertThat(r.totals().messagesCopied()).isEqualTo(1101);
            assertThat(store.commits()).isGreaterThanOrEqualTo(3);
            long inFlight = events.events(Type.BYTES_TRANSFERRED).stream().mapToLong(RecordingListener.Event::value).sum();
            assertThat(inFlight).isGreaterThanOrEqualTo(big.length);
            assertThat(events.events(Type.FOLDER_STARTED)).singleElement()
                    .satisfies(e -> assertThat(e.value()).isEqualTo(1101));
        }

    }

}
