package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.net.TcpProxy;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ObjIntConsumer;

/**
 * A network link for {@link BackupBenchmark} on the shared {@link TcpProxy}: every byte is delayed
 * by half the round-trip time in each direction, and the server-to-client direction of all
 * connections together is limited to a bandwidth (one shared link, as when several connections go
 * to one remote server). The kernel has no {@code netem} here, hence this.
 *
 * <p>Pacing is a token bucket with a small burst; the delay queue holds what is in flight, so a
 * window's worth of data is buffered, as on a real link. Each direction reads on a thread of its
 * own into the queue, and the proxy's thread for that direction writes.
 *
 * <p>With the system property {@code bench.commands} set to true, every read from a client goes to
 * standard error as it enters the link: {@code COMMAND 0.466 c1 A7 UID FETCH … [server 0.462]},
 * the seconds since {@link #restartTimeline()}, the connection (numbered as they open), the read's
 * first 70 bytes (line ends as {@code |}), and when the last server byte went to that connection.
 * Pipelined commands share a read; the gap between a command and its connection's last server
 * byte before it is the time that connection had nothing in flight.
 */
final class LinkProxy implements Closeable {

    private static final int CHUNK = 64 * 1024;

    private final TcpProxy proxy;
    private final long oneWayNanos;
    private final Bucket down;

    /**
     * @param targetPort the server's loopback port
     * @param rttMillis round-trip time added
     * @param bytesPerSecond server-to-client bandwidth shared by all connections
     */
    LinkProxy(int targetPort, double rttMillis, long bytesPerSecond) {
        this.oneWayNanos = (long) (rttMillis * 1e6 / 2);
        this.down = new Bucket(bytesPerSecond);
        boolean commands = Boolean.getBoolean("bench.commands");
        AtomicInteger connections = new AtomicInteger();
        this.proxy = TcpProxy.start("127.0.0.1", targetPort, c -> new TcpProxy.Link() {
            /** The connection's number and when its last server byte went out, for {@code bench.commands}. */
            final int id = connections.incrementAndGet();
            final AtomicLong lastServerByte = new AtomicLong(System.nanoTime());

            @Override
            public void upstream(InputStream fromClient, OutputStream toServer) throws IOException {
                delay(fromClient, toServer, !commands ? null : (buf, n) -> System.err.printf(Locale.ROOT,
                        "COMMAND %.3f c%d %s [server %.3f]%n", down.since(System.nanoTime()), id,
                        new String(buf, 0, Math.min(n, 70), StandardCharsets.ISO_8859_1).replace("\r\n", " | "),
                        down.since(lastServerByte.get())), null, null);
            }

            @Override
            public void downstream(InputStream fromServer, OutputStream toClient) throws IOException {
                delay(fromServer, toClient, null, down, commands ? lastServerByte : null);
            }
        });
    }

    int port() {
        return proxy.port();
    }

    /** Starts the server-to-client timeline afresh: {@link #timeline()} then describes what came after. */
    void restartTimeline() {
        down.restart();
    }

    /**
     * Describes how the link was used since {@link #restartTimeline()}: when the first and the last
     * server byte crossed it, from when on it ran at 90 % of its bandwidth, and how many tenths of a
     * second after that stayed below 90 % (a run that keeps the link full has none but its first and
     * last); for the note of a backup's row. With the system property {@code bench.tenths} set to
     * true, also prints the MB of every tenth of a second to standard error.
     */
    String timeline() {
        return down.timeline();
    }

    private record Packet(long due, byte[] bytes, int length) { }

    /**
     * A reader thread → the delay queue → this thread writes (paced by {@code bucket} when not
     * null). For {@code bench.commands}: {@code reads}, when not null, is given each read's bytes and
     * count, and {@code written}, when not null, is set to the time of each write.
     */
    private void delay(InputStream in, OutputStream out, ObjIntConsumer<byte[]> reads, Bucket bucket,
            AtomicLong written) throws IOException {
        BlockingQueue<Packet> queue = new LinkedBlockingQueue<>(4096);
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (reads != null) {
                        reads.accept(buf, n);
                    }
                    queue.put(new Packet(System.nanoTime() + oneWayNanos, buf, n));
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
            try {
                queue.put(new Packet(0, null, -1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "link-proxy-read");
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                Packet p = queue.take();
                if (p.length < 0) {
                    return;
                }
                sleepUntil(p.due);
                if (bucket != null) {
                    bucket.take(p.length);
                }
                out.write(p.bytes, 0, p.length);
                if (written != null) {
                    written.set(System.nanoTime());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** A token bucket shared by the connections that go through one link direction. */
    private static final class Bucket {
        private final double bytesPerNano;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();
        /** Server bytes per tenth of a second since {@link #start}, for {@link #timeline()}. */
        private long[] tenths = new long[600];
        private long start = System.nanoTime();
        private long firstByte = -1;
        private long lastByte = -1;

        Bucket(long bytesPerSecond) {
            this.bytesPerNano = bytesPerSecond / 1e9;
            this.burst = Math.max(2.0 * CHUNK, bytesPerSecond / 1000.0); // 1 ms of data
            this.tokens = burst;
        }

        void take(int n) {
            long due;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(burst, tokens + (now - last) * bytesPerNano);
                last = now;
                tokens -= n;
                due = tokens >= 0 ? now : now + (long) (-tokens / bytesPerNano);
                count(Math.max(now, due), n);
            }
            sleepUntil(due);
        }

        private void count(long at, int n) {
            long since = at - start;
            int tenth = (int) (since / 100_000_000L);
            if (tenth >= tenths.length) {
                tenths = java.util.Arrays.copyOf(tenths, Math.max(tenth + 1, tenths.length * 2));
            }
            tenths[tenth] += n;
            firstByte = firstByte < 0 ? since : firstByte;
            lastByte = since;
        }

        /** {@return the seconds from the last {@link #restart()} (or the start) to {@code at}} */
        synchronized double since(long at) {
            return (at - start) / 1e9;
        }

        synchronized void restart() {
            tenths = new long[600];
            start = System.nanoTime();
            firstByte = -1;
            lastByte = -1;
        }

        synchronized String timeline() {
            if (firstByte < 0) {
                return "link: no server bytes";
            }
            double full = 0.9 * bytesPerNano * 1e8; // 90 % of a tenth of a second's bytes
            int first = (int) (firstByte / 100_000_000L);
            int last = (int) (lastByte / 100_000_000L);
            int from = -1;
            int below = 0;
            for (int t = first; t < last; t++) { // the last tenth is cut short by the end
                if (tenths[t] >= full) {
                    from = from < 0 ? t : from;
                } else if (from >= 0) {
                    below++;
                }
            }
            if (Boolean.getBoolean("bench.tenths")) {
                StringBuilder b = new StringBuilder("tenths (MB):");
                for (int t = 0; t < last + 1; t++) {
                    b.append(String.format(java.util.Locale.ROOT, " %.1f", tenths[t] / 1e6));
                }
                System.err.println(b);
            }
            return String.format(java.util.Locale.ROOT, "link: first server byte %.2f s, last %.2f s after the start;"
                    + " at 90 %% of the link from %s; then %d tenths of a second below it", firstByte / 1e9,
                    lastByte / 1e9, from < 0 ? "never" : String.format(java.util.Locale.ROOT, "%.1f s", from / 10.0), below);
        }
    }

    @Override
    public void close() {
        proxy.close();
    }
}
