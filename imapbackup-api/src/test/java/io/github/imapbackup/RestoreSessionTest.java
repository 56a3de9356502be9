package io.github.imapbackup;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.RecordingListener;
import io.github.imapbackup.testing.RecordingListener.Type;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore runs the one engine without incremental state: the target (here an account made of
 * real files that behaves like an IMAP server: no SHA-256, PERMANENTFLAGS, size limit, pipelining)
 * is matched by identity with copies counted.
 */
@Timeout(20)
class RestoreSessionTest {

    private static final Instant DATE = Instant.parse("2019-03-04T05:06:07Z");

    private final MemorySource source = new MemorySource("backup");
    private final RecordingListener events = new RecordingListener();
    private int serial;

    @TempDir
    Path dir;

    private byte[] message(String id, int bodyBytes) {
        serial++;
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: message " + serial + "\r\n\r\n"
                + "x".repeat(bodyBytes) + " " + serial + "\r\n").getBytes(ISO_8859_1);
    }

    private DirectoryTarget account() {
        return new DirectoryTarget(dir.resolve("account"));
    }

    private RestoreSession.Builder restore(DirectoryTarget target) {
        return RestoreSession.builder().source(source).target(target).listener(events);
    }

    private static FolderReport folder(BackupReport r, String name) {
        return r.folders().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void restoresBytesFlagsAndDatesAndASecondRestoreAddsNothing() throws Exception {
        MemoryFolder inbox = source.folder("INBOX");
        inbox.add(message("a", 10), DATE, "alice@example.org", "\\Seen", "$Label1");
        inbox.add(message("b", 20), DATE.plusSeconds(60), null);
        source.folder("Archive/2019").add(message("c", 30), DATE, null, "\\Flagged");
        DirectoryTarget account = account();

        BackupReport first = restore(account).build().run();

        assertThat(first.command()).isEqualTo("restore");
        assertThat(first.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(first.hasFailures()).isFalse();
        assertThat(first.totals().messagesCopied()).isEqualTo(3);
        assertThat(first.totals().flagsDropped()).isZero();
        List<ArchivedMessage> held = account.messages("INBOX");
        assertThat(held).hasSize(2);
        assertThat(account.content("INBOX", held.get(0))).isEqualTo(inbox.content(1));
        assertThat(held.get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$Label1");
        assertThat(held.get(0).internalDate()).isEqualTo(DATE);
        assertThat(held.get(1).internalDate()).isEqualTo(DATE.plusSeconds(60));
        assertThat(account.messages("Archive/2019")).hasSize(1);

        BackupReport second = restore(account).build().run();

        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(second.totals().messagesSkipped()).isEqualTo(3);
        assertThat(account.messages("INBOX")).hasSize(2);
        assertThat(account.appends()).isEqualTo(3);
    }

    @Test
    void aFolderHoldingAMessageTwiceGetsItTwiceNeverThreeTimes() throws Exception {
        byte[] twice = message("twice", 10);
        source.folder("INBOX").add(twice);
        DirectoryTarget account = account();
        restore(account).build().run();
        assertThat(account.messages("INBOX")).hasSize(1);

        // the source now holds it twice; the target already holds one copy
        source.folder("INBOX").add(twice);
        BackupReport r = restore(account).build().run();

        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(r.totals().messagesSkipped()).isEqualTo(1);
        assertThat(account.messages("INBOX")).hasSize(2);
        assertThat(restore(account).build().run().totals().messagesCopied()).isZero();
        assertThat(account.messages("INBOX")).hasSize(2);
    }

    /** INBOX with a message of 5,000 bytes (UID 2) between two small ones. */
    private MemoryFolder smallBigSmall() {
        MemoryFolder inbox = source.folder("INBOX");
        inbox.add(message("small", 10));
        inbox.add(message("big", 5000));
        inbox.add(message("other", 10));
        return inbox;
    }

    /**
     * A message with bare line feeds (an imported Thunderbird mbox) on a server that counts its
     * RFC822.SIZE with CRLF line ends: its size differs from the source's, yet a second restore
     * finds it; a distinct message with the same Message-ID is still added.
     */
    @Test
    void aServerCountingCrlfSizesStillMatchesMessagesWithBareLineFeeds() throws Exception {
        source.folder("INBOX").add("Message-ID: <lf@example.org>\nSubject: lf\n\nbody\nmore\n");
        source.folder("INBOX").add("Message-ID: <crlf@example.org>\r\nSubject: crlf\r\n\r\nbody\r\n");
        DirectoryTarget account = account().crlfSizes(true);
        restore(account).build().run();
        assertThat(account.messages("INBOX")).hasSize(2);

        BackupReport again = restore(account).build().run();

        assertThat(again.totals().messagesCopied()).isZero();
        assertThat(account.messages("INBOX")).hasSize(2);

        // same Message-ID, other bytes: a distinct message, added
        source.folder("INBOX").add("Message-ID: <lf@example.org>\nSubject: lf, edited\n\nbody\n");
        assertThat(restore(account).build().run().totals().messagesCopied()).isEqualTo(1);
        assertThat(account.messages("INBOX")).hasSize(3);
        assertThat(restore(account).build().run().totals().messagesCopied()).isZero();
    }

    /**
     * A message without a final line end on a server that ends every message with one (Dovecot's
     * mbox storage): its RFC822.SIZE counts a CRLF more, yet a second restore finds it, with bare
     * line feeds too; a distinct message of the same Message-ID is still added.
     */
    @Test
    void aServerThatEndsEveryMessageWithALineEndStillMatchesOneWithout() throws Exception {
        source.folder("INBOX").add("Message-ID: <nofinal@example.org>\r\nSubject: no final\r\n\r\nno line end");
        source.folder("INBOX").add("Message-ID: <lf@example.org>\nSubject: lf\n\nno line end either");
        source.folder("INBOX").add("Message-ID: <final@example.org>\r\nSubject: final\r\n\r\nbody\r\n");
        DirectoryTarget account = account().crlfSizes(true).endsWithLineEnd(true);
        restore(account).build().run();
        assertThat(account.messages("INBOX")).hasSize(3);

        assertThat(restore(account).build().run().totals().messagesCopied()).isZero();
        assertThat(account.messages("INBOX")).hasSize(3);

        source.folder("INBOX").add("Message-ID: <nofinal@example.org>\r\nSubject: no final\r\n\r\nno line");
        assertThat(restore(account).build().run().totals().messagesCopied()).isEqualTo(1);
        assertThat(restore(account).build().run().totals().messagesCopied()).isZero();
        assertThat(account.messages("INBOX")).hasSize(4);
    }

    @Test
    void aMessageTheTargetRefusesFailsAloneAndTheOthersAreCopied() throws Exception {
        MemoryFolder inbox = smallBigSmall();
        DirectoryTarget account = account().refuseLargerThan(1000);

        BackupReport r = restore(account).build().run();

        assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(r.hasFailures()).isTrue(); // the command line's exit status 1
        FolderReport f = folder(r, "INBOX");
        assertThat(f.counters().messagesCopied()).isEqualTo(2);
        assertThat(f.counters().bytesCopied()).isEqualTo(inbox.content(1).length + inbox.content(3).length);
        assertThat(f.counters().errors()).isEqualTo(1);
        assertThat(f.errors()).singleElement().satisfies(e -> {
            assertThat(e.folder()).isEqualTo("INBOX");
            assertThat(e.uid()).isEqualTo(2);
            assertThat(e.message()).contains("INBOX").contains("UID 2").contains("[TOOBIG]");
        });
        assertThat(events.events(Type.MESSAGE_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.uid()).isEqualTo(2));
        assertThat(events.count(Type.FOLDER_FINISHED)).isEqualTo(1);
        assertThat(account.messages("INBOX")).hasSize(2);
    }

    @Test
    void aMessageRefusedAfterAPipelinedAppendIsUncountedAndReported() throws Exception {
        MemoryFolder inbox = smallBigSmall();
        DirectoryTarget account = account().refuseLargerThan(1000).pipelined(true);

        BackupReport r = restore(account).build().run();

        FolderReport f = folder(r, "INBOX");
        assertThat(f.counters().messagesCopied()).isEqualTo(2);
        assertThat(f.counters().bytesCopied()).isEqualTo(inbox.content(1).length + inbox.content(3).length);
        assertThat(f.errors()).singleElement().satisfies(e -> {
            assertThat(e.uid()).isEqualTo(2);
            assertThat(e.message()).contains("[TOOBIG]");
        });
        assertThat(r.hasFailures()).isTrue();
        // the listener heard of the copy first, then of its failure, which corrects it (same source UID)
        assertThat(events.events(Type.MESSAGE_COPIED)).extracting(RecordingListener.Event::uid)
                .containsExactly(1L, 2L, 3L);
        assertThat(events.events(Type.MESSAGE_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.uid()).isEqualTo(2));
        assertThat(events.events().indexOf(events.events(Type.MESSAGE_FAILED).get(0)))
                .isGreaterThan(events.events().indexOf(events.events(Type.MESSAGE_COPIED).get(1)));
        assertThat(account.messages("INBOX")).hasSize(2);
    }

    @Test
    void aRefusedMessageCountsNoDroppedFlagsAndFailFastStopsAtIt() throws Exception {
        MemoryFolder inbox = source.folder("INBOX");
        inbox.add(message("small", 10), DATE, null, "\\Seen", "\\Flagged");
        inbox.add(message("big", 5000), DATE, null, "\\Seen", "\\Flagged");
        inbox.add(message("other", 10), DATE, null, "\\Seen", "\\Flagged");
        DirectoryTarget account = account().refuseLargerThan(1000).pipelined(true).permanentFlags("\\Seen");

        BackupReport r = restore(account).build().run();

        assertThat(r.totals().flagsDropped()).isEqualTo(2); // not 3: the refused message was not copied
        assertThat(r.totals().messagesCopied()).isEqualTo(2);

        DirectoryTarget strict = new DirectoryTarget(dir.resolve("strict")).refuseLargerThan(1000);
        assertThatThrownBy(() -> restore(strict).failFast(true).connections(1).build().run())
                .isInstanceOf(BackupException.class)
                .satisfies(e -> {
                    BackupReport stopped = ((BackupException) e).report().orElseThrow();
                    assertThat(stopped.outcome()).isEqualTo(Outcome.FAILED);
                    assertThat(stopped.allErrors()).singleElement()
                            .satisfies(x -> assertThat(x.message()).contains("[TOOBIG]"));
                });
    }

    @Test
    void planCountsOnlyWhatTheTargetLacks() throws Exception {
        source.folder("INBOX").add(message("a", 10));
        DirectoryTarget account = account();
        restore(account).build().run();
        source.folder("INBOX").add(message("b", 10));

        BackupReport plan = restore(account).build().plan();

        assertThat(plan.totals().messagesCopied()).isEqualTo(1);
        assertThat(plan.totals().messagesSkipped()).isEqualTo(1);
        assertThat(account.messages("INBOX")).hasSize(1);
    }

    @Test
    void flagsTheTargetCannotKeepAreDroppedAndCountedAndRecentIsNeverAskedFor() throws Exception {
        MemoryFolder inbox = source.folder("INBOX");
        inbox.add(message("a", 10), DATE, null, "\\Seen", "\\Flagged", "$Label1", "\\Recent");
        inbox.add(message("b", 10), DATE, null, "\\Seen");
        DirectoryTarget account = account().permanentFlags("\\Seen");

        BackupReport r = restore(account).build().run();

        assertThat(r.hasFailures()).isFalse();
        assertThat(folder(r, "INBOX").counters().flagsDropped()).isEqualTo(2);
        assertThat(r.totals().flagsDropped()).isEqualTo(2);
        assertThat(account.messages("INBOX")).extracting(ArchivedMessage::flags)
                .containsExactly(Set.of("\\Seen"), Set.of("\\Seen"));

        DirectoryTarget keywords = new DirectoryTarget(dir.resolve("keywords")).permanentFlags("\\Seen", "\\*");
        BackupReport k = restore(keywords).build().run();
        assertThat(k.totals().flagsDropped()).isEqualTo(1);
        assertThat(keywords.messages("INBOX").get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$Label1");
    }

    @Test
    void planWritesNothingAndSaysWhatRunWouldCopy() throws Exception {
        source.folder("INBOX").add(message("a", 10));
        source.folder("Sent").add(message("b", 10));
        DirectoryTarget account = account();

        BackupReport plan = restore(account).build().plan();

        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.command()).isEqualTo("restore");
        assertThat(plan.totals().messagesCopied()).isEqualTo(2);
        assertThat(account.folderNames()).isEmpty();
        assertThat(account.appends()).isZero();
    }

    @Test
    void cancelStopsTheRunAndItsReportSaysSoAndTheNextRunCompletesIt() throws Exception {
        for (int i = 0; i < 5; i++) {
            source.folder("INBOX").add(message("m" + i, 10));
        }
        DirectoryTarget account = account();
        AtomicReference<RestoreSession> session = new AtomicReference<>();
        events.hook(e -> {
            if (e.type() == Type.MESSAGE_COPIED) {
                session.get().cancel();
            }
        });
        session.set(restore(account).connections(1).build());

        assertThatThrownBy(() -> session.get().run()).isInstanceOf(CancelledException.class)
                .satisfies(e -> assertThat(((BackupException) e).report().orElseThrow().outcome())
                        .isEqualTo(Outcome.CANCELLED));
        int kept = account.messages("INBOX").size();
        assertThat(kept).isBetween(1, 4);
        assertThat(events.report().outcome()).isEqualTo(Outcome.CANCELLED);

        events.hook(e -> { });
        BackupReport rest = restore(account).build().run();
        assertThat(rest.totals().messagesCopied()).isEqualTo(5 - kept);
        assertThat(account.messages("INBOX")).hasSize(5);
    }

    @Test
    void severalConnectionsRestoreSeveralFoldersEachWithItsOwnSourceConnection() throws Exception {
        for (int f = 0; f < 6; f++) {
            for (int i = 0; i < 3; i++) {
                source.folder("F" + f).add(message("f" + f + "m" + i, 10));
            }
        }
        DirectoryTarget account = account();

        BackupReport r = restore(account).build().run();

        assertThat(r.totals().messagesCopied()).isEqualTo(18);
        assertThat(account.folderNames()).hasSize(6);
        assertThat(source.connects()).isGreaterThan(1).isLessThanOrEqualTo(RestoreSession.DEFAULT_CONNECTIONS);
        assertThat(source.openConnections()).isZero();
    }

    /** The builder follows {@link BackupSession}'s conventions. */
    @Nested
    class Builder {

        @Test
        void defaultsAndValidation() {
            RestoreSession s = RestoreSession.builder().source(source).target(account()).build();
            assertThat(s.connections()).isEqualTo(4);
            assertThat(s.failFast()).isFalse();
            assertThat(s.folderFilter()).isEqualTo(FolderFilter.all());
            assertThatThrownBy(() -> RestoreSession.builder().target(account()).build())
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
            assertThatThrownBy(() -> RestoreSession.builder().source(source).build())
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("target");
            assertThatThrownBy(() -> RestoreSession.builder().connections(0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void toBuilderKeepsEverySetting() {
            RestoreSession s = RestoreSession.builder().source(source).target(account()).folders("INBOX")
                    .exclude("Trash").connections(2).failFast(true).build();
            RestoreSession copy = s.toBuilder().build();
            assertThat(copy.source()).isSameAs(s.source());
            assertThat(copy.target()).isSameAs(s.target());
            assertThat(copy.folderFilter()).isEqualTo(s.folderFilter());
            assertThat(copy.connections()).isEqualTo(2);
            assertThat(copy.failFast()).isTrue();
            assertThat(copy.clock()).isSameAs(s.clock());
        }
    }
}
