package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.RecordingListener;
import io.github.imapbackup.testing.RecordingListener.Type;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every run has an outcome, in the report the listener gets and in the one the exception that
 * stopped the run carries: a cancelled run no longer looks like a success.
 */
@Timeout(20)
class RunOutcomeTest {

    private final MemorySource source = new MemorySource();
    private final MemoryStore store = new MemoryStore();
    private final RecordingListener events = new RecordingListener();
    private int serial;

    private byte[] message(String id) {
        serial++;
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: " + serial + "\r\n\r\nbody " + serial + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private BackupSession.Builder session() {
        return BackupSession.builder().source(source).target(store).listener(events).connections(1);
    }

    private void fill(String folder, int n) {
        MemoryFolder f = source.folder(folder);
        for (int i = 0; i < n; i++) {
            f.add(message(folder + i));
        }
    }

    @Test
    void aRunThatWentThroughEveryFolderIsCompletedEvenWithFailures() throws Exception {
        fill("INBOX", 3);
        source.folder("INBOX").failMessage(2, true);

        BackupReport r = session().build().run();

        assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(r.hasFailures()).isTrue();
        assertThat(events.report()).isSameAs(r);
    }

    @Test
    void aCancelledRunSaysSoInTheExceptionAndToTheListener() {
        fill("INBOX", 6);
        fill("Later", 2);
        AtomicReference<BackupSession> session = new AtomicReference<>();
        events.hook(e -> {
            if (e.type() == Type.MESSAGE_COPIED && e.uid() == 2) {
                session.get().cancel();
            }
        });
        session.set(session().build());

        CancelledException e = catchThrowableOfType(CancelledException.class, () -> session.get().run());

        assertThat(e).isNotNull();
        assertThat(e.report()).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(r.totals().messagesCopied()).isEqualTo(2);
            assertThat(r.hasFailures()).as("a cancel is no failure").isFalse();
        });
        assertThat(events.report()).isSameAs(e.report().orElseThrow());
        assertThat(store.messages("Later")).isEmpty();
    }

    @Test
    void aCancelledDryRunIsCancelledToo() {
        fill("A", 2);
        fill("B", 2);
        AtomicReference<BackupSession> session = new AtomicReference<>();
        events.hook(e -> {
            if (e.type() == Type.FOLDER_STARTED) {
                session.get().cancel();
            }
        });
        session.set(session().build());

        CancelledException e = catchThrowableOfType(CancelledException.class, () -> session.get().plan());

        assertThat(e.report()).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(r.dryRun()).isTrue();
        });
        assertThat(events.report().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void failFastFailsTheRunAndTheFailureCarriesTheReport() {
        fill("INBOX", 4);
        source.folder("INBOX").failMessage(3, true);
        fill("Next", 1);

        FolderException e = catchThrowableOfType(FolderException.class, () -> session().failFast(true).build().run());

        assertThat(e.uid()).hasValue(3);
        assertThat(e.report()).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.totals().messagesCopied()).isEqualTo(2);
        });
        assertThat(events.report()).isSameAs(e.report().orElseThrow());
    }

    @Test
    void aRunThatCannotConnectFailsWithAReport() {
        fill("INBOX", 1);
        source.failConnect(new AuthenticationException("login refused", null), 1);

        BackupException e = catchThrowableOfType(AuthenticationException.class, () -> session().build().run());

        assertThat(e.report()).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.errors()).singleElement().satisfies(x -> assertThat(x.message()).isEqualTo("login refused"));
        });
        assertThat(events.report().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void aFailureThatStoppedNoRunHasNoReport() {
        assertThat(new BackupException("x", null).report()).isEmpty();
        assertThat(new CancelledException().report()).isEmpty();
    }
}
