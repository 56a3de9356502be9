package io.github.imapbackup.mbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders of one backup are opened in parallel and share parent directories ({@code INBOX/} for
 * {@code INBOX/Archive} and {@code INBOX/Drafts}): creating them at the same moment must never
 * report the directory the other thread just made as "a file in the way".
 */
class FileSupportRaceTest {

    @TempDir
    Path dir;

    @Test
    void threadsCreatingTheSameParentAtOnceAllSucceed() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 300; round++) {
                Path parent = dir.resolve("r" + round).resolve("INBOX");
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Path child = parent.resolve("f" + t);
                    done.add(pool.submit(() -> {
                        start.await();
                        FileSupport.createDirectories(child);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(); // before the fix: "…/INBOX: not a directory" now and then
                }
                for (int t = 0; t < threads; t++) {
                    assertThat(Files.isDirectory(parent.resolve("f" + t))).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
