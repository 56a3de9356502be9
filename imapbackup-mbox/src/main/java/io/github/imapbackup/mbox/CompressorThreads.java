package io.github.imapbackup.mbox;

import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run {@link CompressorPipe}s: one per open compressed member, kept for the next
 * member and ended after {@link #IDLE_SECONDS} seconds without one. A thread per member instead
 * grew the peak RSS of a compressed backup by half (each new thread that runs a native compressor
 * gets a malloc arena of its own; see docs/benchmarks-imap.md, "Compressing on its own thread").
 * Daemon threads: an idle one never keeps the JVM alive.
 */
final class CompressorThreads {

    /** How long an idle thread waits for the next member. */
    static final long IDLE_SECONDS = 5;
    /** The name of an idle thread; a busy one is named after its member's file. */
    static final String IDLE_NAME = CompressorPipe.THREAD_NAME + " (idle)";

    private static final Logger LOG = LoggerFactory.getLogger(CompressorThreads.class);
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, IDLE_NAME);
                t.setDaemon(true);
                t.setUncaughtExceptionHandler((thread, e) -> LOG.error("{} failed", thread.getName(), e));
                return t;
            });

    private CompressorThreads() { }

    /** Runs {@code work} on a thread named {@code name} while it runs. */
    static Future<?> run(Runnable work, String name) {
        return POOL.submit(() -> {
            Thread self = Thread.currentThread();
            self.setName(name);
            try {
                work.run();
            } finally {
                self.setName(IDLE_NAME);
            }
        });
    }
}
