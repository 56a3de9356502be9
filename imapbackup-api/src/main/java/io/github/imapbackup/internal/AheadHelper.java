package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.SourceWaits;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection fetching chunks of a big folder ahead of its writer (docs/ARCHITECTURE.md, "One
 * big folder on several connections"): opens its own connection, EXAMINEs the folder, checks that
 * the UIDVALIDITY is the writer's, and fetches chunks into memory until none is left. It only
 * reads: whatever goes wrong, it gives its chunk back and ends, and the writer fetches the chunk
 * itself. Holds one of the run's spare connections, and gives it back when it ends.
 */
final class AheadHelper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AheadHelper.class);

    private final RunContext run;
    private final FolderInfo folder;
    private final long uidValidity;
    private final ChunkQueue queue;

    AheadHelper(RunContext run, FolderInfo folder, long uidValidity, ChunkQueue queue) {
        this.run = run;
        this.folder = folder;
        this.uidValidity = uidValidity;
        this.queue = queue;
    }

    @Override
    public void run() {
        SourceWaits waits = SourceWaits.NONE;
        try (ConnectionHolder holder = new ConnectionHolder(run.config.source(), null)) {
            try {
                help(holder);
            } finally {
                waits = holder.takeWaits();
            }
        } catch (InterruptedException e) {
            LOG.debug("folder \"{}\": a connection fetching ahead was interrupted", folder.name());
        } catch (BackupException | RuntimeException e) {
            LOG.debug("folder \"{}\": a connection fetching ahead stopped: {}", folder.name(), e.toString());
        } finally {
            queue.helperGone(waits);
            run.spareConnections.release();
        }
    }

    private void help(ConnectionHolder holder) throws BackupException, InterruptedException {
        if (queue.closed()) {
            return;
        }
        try (SourceFolder open = holder.get().open(folder, run.config.extractor())) {
            long now = open.status().uidValidity();
            if (now != uidValidity) {
                LOG.debug("folder \"{}\": UIDVALIDITY {} on another connection, {} on the writer's:"
                        + " going on with one connection", folder.name(), now, uidValidity);
                queue.refuse();
                return;
            }
            ChunkQueue.Chunk chunk;
            while ((chunk = queue.claim()) != null) {
                Map<Long, byte[]> got;
                try {
                    got = fetch(open, chunk, queue, run, folder);
                } catch (BackupException | RuntimeException e) {
                    queue.release(chunk);
                    throw e;
                }
                queue.fetched(chunk, got);
            }
        }
    }

    /**
     * Fetches a chunk; a message the source cannot give is left out, for the writer to fetch. So
     * are the messages past {@link ChunkQueue#CHUNK_BYTES} of real bytes (a server that told sizes
     * too small): the chunk was cut by the told sizes, and what is held ahead stays bounded.
     */
    static Map<Long, byte[]> fetch(SourceFolder open, ChunkQueue.Chunk chunk, ChunkQueue queue, RunContext run,
            FolderInfo folder) throws BackupException {
        Map<Long, byte[]> got = new HashMap<>();
        long[] kept = {0};
        Set<Long> asked = new HashSet<>();
        chunk.messages.forEach(m -> asked.add(m.uid()));
        open.fetchMessages(chunk.messages, new MessageSink() {
            @Override
            public void message(long uid, InputStream content) throws BackupException {
                if (queue.closed() || run.cancelled()) {
                    throw new CancelledException();
                }
                ChunkQueue.progress(chunk);
                if (!asked.remove(uid) || kept[0] > ChunkQueue.CHUNK_BYTES) {
                    return;
                }
                try {
                    long room = ChunkQueue.CHUNK_BYTES - kept[0];
                    byte[] b = content.readNBytes((int) room + 1);
                    if (b.length <= room) {
                        got.put(uid, b);
                        kept[0] += b.length;
                    } else {
                        kept[0] = ChunkQueue.CHUNK_BYTES + 1; // full: the writer fetches the rest
                    }
                } catch (IOException e) {
                    throw new BackupException("reading UID " + uid + " of \"" + folder.name()
                            + "\" ahead failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void failed(long uid, BackupException failure) {
                LOG.debug("folder \"{}\": UID {} not fetched ahead ({}); the writer fetches it",
                        folder.name(), uid, failure.getMessage());
            }
        });
        return got;
    }
}
