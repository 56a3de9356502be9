package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.testing.MemoryStore;
import jakarta.mail.Flags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The backup engine driving the IMAP source against GreenMail (the store kept in memory). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @Test
    void incrementalRunsCopyEachMessageOnceWithExactBytesAndLeaveTheServerUnchanged()
            throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        List<byte[]> inbox = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] m = Fixtures.message(i == 3 ? null : "<m" + i + "@x>", "s" + i + "@x", "s" + i,
                    "From the body " + i + "\n");
            inbox.add(m);
            Fixtures.append(greenMail, user, "INBOX", m, null, Instant.parse("2020-01-01T00:00:00Z"));
        }
        Fixtures.append(greenMail, user, "Archive.2019", Fixtures.message("<a@x>", "a@x", "a",
                "a\n"), new Flags(Flags.Flag.SEEN), Instant.now());
        MemoryStore store = new MemoryStore();
        BackupSession session = BackupSession.builder()
                .source(Fixtures.plain(greenMail).metadataBatch(3).build())
                .target(store)
                .connections(2)
                .build();

        BackupReport first = session.run();
        assertThat(first.hasFailures()).as(first.toString()).isFalse();
        assertThat(first.totals().messagesCopied()).isEqualTo(8);
        List<ArchivedMessage> stored = store.messages("INBOX");
        assertThat(stored).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(store.content("INBOX", stored.get(i))).isEqualTo(inbox.get(i));
        }
        assertThat(greenMail.getManagers().getImapHostManager().getInbox(user).getMessages())
                .allSatisfy(m -> assertThat(m.getFlags().contains(Flags.Flag.SEEN)).isFalse());

        BackupReport second = session.run();
        assertThat(second.hasFailures()).isFalse();
        assertThat(second.totals().messagesCopied()).isZero();

        Fixtures.append(greenMail, user, "INBOX", Fixtures.message("<new@x>", "n@x", "new", "n\n"),
                null, Instant.now());
        BackupReport third = session.run();
        assertThat(third.totals().messagesCopied()).isEqualTo(1);
        assertThat(store.messages("INBOX")).hasSize(8);
    }

    @Test
    void aCancelledRunReportsCancelledInTheExceptionAndToTheListenerAndTheNextRunFinishes() throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        for (int i = 0; i < 6; i++) {
            Fixtures.append(greenMail, user, "INBOX", Fixtures.message("<c" + i + "@x>", "c@x", "c" + i, "c\n"),
                    null, Instant.parse("2020-01-01T00:00:00Z"));
        }
        MemoryStore store = new MemoryStore();
        AtomicReference<BackupSession> session = new AtomicReference<>();
        AtomicReference<BackupReport> heard = new AtomicReference<>();
        session.set(BackupSession.builder()
                .source(Fixtures.plain(greenMail).build())
                .target(store)
                .connections(1)
                .listener(new BackupListener() {
                    @Override
                    public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                        if (uid == 2) {
                            session.get().cancel();
                        }
                    }

                    @Override
                    public void runFinished(RunInfo run, BackupReport report) {
                        heard.set(report);
                    }
                })
                .build());

        CancelledException e = catchThrowableOfType(CancelledException.class, () -> session.get().run());

        assertThat(e.report()).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(r.totals().messagesCopied()).isEqualTo(2);
        });
        assertThat(heard.get()).isSameAs(e.report().orElseThrow());
        BackupReport rest = BackupSession.builder().source(Fixtures.plain(greenMail).build()).target(store).build().run();
        assertThat(rest.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(rest.totals().messagesCopied()).isEqualTo(4);
        assertThat(store.messages("INBOX")).hasSize(6);
    }
}
