package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.RecordingListener;
import io.github.imapbackup.testing.RecordingListener.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message listed by the source and expunged there before its body was fetched (another client
 * deleted it during the run): once the source confirms it is gone, it is counted as such and is no
 * failure; a message that could not be fetched and is still there stays one, as does every such
 * message when the source cannot tell.
 */
@Timeout(20)
class ExpungedBeforeCopyTest {

    private final MemorySource source = new MemorySource();
    private final MemoryStore store = new MemoryStore();
    private final RecordingListener events = new RecordingListener();
    private final MemoryFolder inbox = source.folder("INBOX");

    private void fill(int n) {
        for (int i = 1; i <= n; i++) {
            inbox.add(("Message-ID: <m" + i + "@example.org>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Expunges these UIDs once the folder is listed, before any body is fetched. */
    private void expungeAfterListing(long... uids) {
        events.hook(e -> {
            if (e.type() == Type.FOLDER_STARTED) {
                for (long u : uids) {
                    inbox.expunge(u);
                }
            }
        });
    }

    private BackupSession.Builder session() {
        return BackupSession.builder().source(source).target(store).listener(events).connections(1);
    }

    private List<Long> stored() {
        return store.messages("INBOX").stream().map(ArchivedMessage::uid).toList();
    }

    @Test
    void messagesExpungedAfterTheListingAreCountedNotFailedAndTheNextRunIsClean() throws Exception {
        fill(6);
        expungeAfterListing(2, 5);

        BackupReport r = session().build().run();

        assertThat(r.allErrors()).isEmpty();
        assertThat(r.hasFailures()).isFalse();
        assertThat(r.totals().expungedBeforeCopy()).isEqualTo(2);
        assertThat(r.totals().messagesCopied()).isEqualTo(4);
        assertThat(r.totals().messagesOnSource()).isEqualTo(6);
        assertThat(stored()).containsExactly(1L, 3L, 4L, 6L);
        assertThat(events.count(Type.MESSAGE_FAILED)).isZero();
        assertThat(source.expungedOfCalls()).as("asked once for the folder").isEqualTo(1);

        events.hook(e -> { });
        BackupReport next = session().build().run();
        assertThat(next.hasFailures()).isFalse();
        assertThat(next.totals().messagesCopied()).isZero();
        assertThat(next.totals().expungedBeforeCopy()).isZero();
    }

    @Test
    void aMessageThatFailsAndIsStillThereStaysAFailureBesideOneThatIsGone() throws Exception {
        fill(4);
        inbox.failMessage(3, true);
        expungeAfterListing(2);

        BackupReport r = session().build().run();

        assertThat(r.totals().expungedBeforeCopy()).isEqualTo(1);
        assertThat(r.allErrors()).singleElement().satisfies(e -> {
            assertThat(e.uid()).isEqualTo(3);
            assertThat(e.message()).isEqualTo("folder \"INBOX\", UID 3: injected message failure"
                    + " [still on the server when asked again; the next run tries it again]");
        });
        assertThat(events.events(Type.MESSAGE_FAILED)).extracting(RecordingListener.Event::uid).containsExactly(3L);
        assertThat(stored()).containsExactly(1L, 4L);

        // the failed message is fetched again by the next run; the one that is gone is not asked for
        inbox.failMessage(3, false);
        events.hook(e -> { });
        BackupReport next = session().build().run();
        assertThat(next.hasFailures()).isFalse();
        assertThat(next.totals().messagesCopied()).isEqualTo(1);
        assertThat(stored()).containsExactlyInAnyOrder(1L, 3L, 4L);
    }

    @Test
    void aBodyThatStopsHalfwayBecauseTheMessageWasExpungedIsCountedAndOneStillThereFails() throws Exception {
        fill(5);
        inbox.stopMidStream(2, true);
        inbox.stopMidStream(4, false);

        BackupReport r = session().build().run();

        assertThat(r.totals().expungedBeforeCopy()).isEqualTo(1);
        assertThat(r.allErrors()).singleElement().satisfies(e -> {
            assertThat(e.uid()).isEqualTo(4);
            assertThat(e.message()).contains("injected stop in the middle");
        });
        assertThat(stored()).as("nothing of either half-read message").containsExactly(1L, 3L, 5L);
    }

    @Test
    void whenTheSourceCannotTellEveryMessageNotFetchedFails() throws Exception {
        fill(4);
        inbox.expungedOf(false, false);
        expungeAfterListing(1, 4);

        BackupReport r = session().build().run();

        assertThat(r.totals().expungedBeforeCopy()).isZero();
        assertThat(r.allErrors()).extracting(ReportError::uid).containsExactly(1L, 4L);
        assertThat(r.allErrors()).as("nothing said that was not asked").noneMatch(e -> e.message().contains("still"));
        assertThat(stored()).containsExactly(2L, 3L);
    }

    @Test
    void whenAskingFailsEveryMessageNotFetchedFails() throws Exception {
        fill(3);
        inbox.expungedOf(true, true);
        expungeAfterListing(2);

        BackupReport r = session().build().run();

        assertThat(r.totals().expungedBeforeCopy()).isZero();
        assertThat(r.allErrors()).singleElement().satisfies(e -> assertThat(e.uid()).isEqualTo(2));
        assertThat(source.expungedOfCalls()).isEqualTo(1);
    }

    @Test
    void aFailFastRunStopsAtTheFirstMessageNotFetchedWithoutAsking() {
        fill(4);
        expungeAfterListing(2);

        FolderException e = catchThrowableOfType(FolderException.class, () -> session().failFast(true).build().run());

        assertThat(e.uid()).hasValue(2);
        assertThat(source.expungedOfCalls()).isZero();
        assertThat(stored()).containsExactly(1L);
    }

    @Test
    void aMigrationCountsThemTooAndItsDeletionsGoOn() throws Exception {
        fill(5);
        expungeAfterListing(1, 3);

        BackupReport r = MigrateSession.builder().source(source).target(store).listener(events).connections(1)
                .deleteFromSource(true).build().run();

        assertThat(r.allErrors()).as("gone messages do not hold back --delete1").isEmpty();
        assertThat(r.totals().expungedBeforeCopy()).isEqualTo(2);
        assertThat(r.totals().messagesCopied()).isEqualTo(3);
        assertThat(store.messages("INBOX")).hasSize(3);
        assertThat(r.totals().deletedFromSource()).isEqualTo(3);
        assertThat(inbox.uids()).isEmpty();
    }

    @Test
    void aFolderWithoutFailuresAsksNothing() throws Exception {
        fill(3);

        BackupReport r = session().build().run();

        assertThat(r.totals().messagesCopied()).isEqualTo(3);
        assertThat(source.expungedOfCalls()).isZero();
    }
}
