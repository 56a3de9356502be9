package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.RecordingListener;
import io.github.imapbackup.testing.RecordingListener.Event;
import io.github.imapbackup.testing.RecordingListener.Type;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listener events carry their run and folder, a factory makes one listener per run, and a listener
 * that throws is logged once with its stack trace per event type (not on every event).
 */
@Timeout(30)
class RunEventsTest {

    private int serial;

    private String message(String id) {
        serial++;
        return "Message-ID: <" + id + "@example.org>\r\nSubject: " + serial + "\r\n\r\nbody " + serial + "\r\n";
    }

    private MemorySource account(String prefix, int folders, int messages) {
        MemorySource source = new MemorySource();
        for (int f = 0; f < folders; f++) {
            for (int i = 0; i < messages; i++) {
                source.folder(prefix + f).add(message(prefix + f + "-" + i));
            }
        }
        return source;
    }

    @Test
    void oneListenerServingTwoConcurrentRunsTellsTheirEventsApart() throws Exception {
        RecordingListener shared = new RecordingListener();
        // both runs are inside a folder at the same time: each waits at its first folder for the other
        CountDownLatch bothStarted = new CountDownLatch(2);
        shared.hook(e -> {
            if (e.type() == Type.FOLDER_STARTED) {
                bothStarted.countDown();
                try {
                    bothStarted.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        BackupSession a = BackupSession.builder().source(account("A", 2, 3)).target(new MemoryStore())
                .listener(shared).connections(1).build();
        BackupSession b = BackupSession.builder().source(account("B", 3, 2)).target(new MemoryStore())
                .listener(shared).connections(1).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        BackupReport ra;
        BackupReport rb;
        try {
            Future<BackupReport> fa = pool.submit(a::run);
            Future<BackupReport> fb = pool.submit(b::plan);
            ra = fa.get(20, TimeUnit.SECONDS);
            rb = fb.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        Map<RunInfo, List<Event>> byRun = shared.events().stream()
                .collect(Collectors.groupingBy(Event::run));
        assertThat(byRun).hasSize(2);
        RunInfo runA = shared.events(Type.SESSION_STARTED).stream().map(Event::run).filter(r -> !r.dryRun())
                .findFirst().orElseThrow();
        RunInfo runB = shared.events(Type.SESSION_STARTED).stream().map(Event::run).filter(RunInfo::dryRun)
                .findFirst().orElseThrow();
        assertThat(runA.id()).isNotEqualTo(runB.id());
        assertThat(runA.command()).isEqualTo("backup");
        for (RunInfo run : List.of(runA, runB)) {
            List<Event> own = byRun.get(run);
            assertThat(own.get(0).type()).isEqualTo(Type.SESSION_STARTED);
            assertThat(own.get(own.size() - 1).type()).isEqualTo(Type.SESSION_FINISHED);
        }
        assertThat(folders(byRun.get(runA))).containsExactly("A0", "A1");
        assertThat(folders(byRun.get(runB))).containsExactly("B0", "B1", "B2");
        assertThat(byRun.get(runA).stream().filter(e -> e.type() == Type.MESSAGE_COPIED).count())
                .isEqualTo(ra.totals().messagesCopied()).isEqualTo(6);
        assertThat(rb.totals().messagesCopied()).isEqualTo(6);
    }

    private static List<String> folders(List<Event> events) {
        return events.stream().filter(e -> e.type() == Type.FOLDER_STARTED).map(Event::folder).toList();
    }

    @Test
    void aFactoryMakesOneListenerPerRun() throws Exception {
        List<RunInfo> runs = new ArrayList<>();
        List<RecordingListener> made = new ArrayList<>();
        BackupSession session = BackupSession.builder().source(account("F", 1, 2)).target(new MemoryStore())
                .listenerFactory(run -> {
                    RecordingListener l = new RecordingListener();
                    synchronized (runs) {
                        runs.add(run);
                        made.add(l);
                    }
                    return l;
                })
                .build();

        session.plan();
        session.run();
        session.run();

        assertThat(runs).hasSize(3).extracting(RunInfo::dryRun).containsExactly(true, false, false);
        assertThat(runs).extracting(RunInfo::id).doesNotHaveDuplicates();
        for (int i = 0; i < 3; i++) {
            RunInfo run = runs.get(i);
            assertThat(made.get(i).events()).isNotEmpty().allSatisfy(e -> assertThat(e.run()).isEqualTo(run));
            assertThat(made.get(i).count(Type.SESSION_STARTED)).isEqualTo(1);
            assertThat(made.get(i).count(Type.SESSION_FINISHED)).isEqualTo(1);
        }
        assertThat(made.get(1).count(Type.MESSAGE_COPIED)).isEqualTo(2);
        assertThat(made.get(2).count(Type.MESSAGE_COPIED)).isZero();
    }

    @Test
    void aThrowingFactoryLeavesTheRunWithoutListenerButRunning() throws Exception {
        BackupReport r = BackupSession.builder().source(account("X", 1, 2)).target(new MemoryStore())
                .listenerFactory(run -> {
                    throw new IllegalStateException("no listener today");
                })
                .build().run();

        assertThat(r.totals().messagesCopied()).isEqualTo(2);
    }

    @Test
    void aThrowingListenerLogsOneStackTracePerEventTypeAndTheRunCompletes() throws Exception {
        MemorySource source = account("T", 2, 5);
        source.folder("Broken").failing(true);
        RecordingListener throwing = new RecordingListener(true);

        String[] log = new String[1];
        BackupReport r = captureStderr(log, () -> BackupSession.builder().source(source).target(new MemoryStore())
                .listener(throwing).connections(1).build().run());

        assertThat(r.totals().messagesCopied()).isEqualTo(10);
        assertThat(throwing.count(Type.MESSAGE_COPIED)).isEqualTo(10);
        assertThat(throwing.count(Type.SESSION_FINISHED)).isEqualTo(1);
        // one stack trace per event type that threw: runStarted, folderStarted, messageCopied,
        // folderFinished, folderFailed, runFinished (plus bytesTransferred when the source reports it)
        long traces = count(log[0], "\njava.lang.IllegalStateException: listener failure on");
        long types = throwing.events().stream().map(Event::type).distinct().count();
        assertThat(traces).isEqualTo(types);
        assertThat(count(log[0], "failed in messageCopied (run")).isEqualTo(1);
        assertThat(count(log[0], "failed in messageCopied again")).isEqualTo(9);
    }

    @Test
    void aFailingFolderIsLoggedOnceAtWarnInOneLine() throws Exception {
        MemorySource source = account("W", 1, 1);
        source.folder("Broken").failing(true);

        String[] log = new String[1];
        BackupReport r = captureStderr(log, () -> BackupSession.builder().source(source).target(new MemoryStore())
                .build().run());

        assertThat(r.hasFailures()).isTrue();
        assertThat(count(log[0], "WARN")).isEqualTo(1);
        assertThat(log[0]).contains("folder \"Broken\" failed: ").doesNotContain("\tat ");
    }

    /** A run whose stderr is captured (slf4j-simple writes to the current System.err). */
    interface Run {
        BackupReport run() throws Exception;
    }

    static synchronized BackupReport captureStderr(String[] into, Run run) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return run.run();
        } finally {
            System.setErr(old);
            into[0] = bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static long count(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
