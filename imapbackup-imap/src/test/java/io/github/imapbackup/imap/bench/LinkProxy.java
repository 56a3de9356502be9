package io.github.imapbackup.imap.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that behaves like a network link for {@link BackupBenchmark}: every
 * byte is delayed by half the round-trip time in each direction, and the server-to-client
 * direction of all connections together is limited to a bandwidth (one shared link, as when
 * several connections go to one remote server). The kernel has no {@code netem} here, hence this.
 *
 * <p>Pacing is a token bucket with a small burst; the delay queue holds what is in flight, so a
 * window's worth of data is buffered, as on a real link.
 */
final class LinkProxy implements Closeable {

    private static final int CHUNK = 64 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private final long oneWayNanos;
    private final Bucket down;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /**
     * @param targetPort the server's loopback port
     * @param rttMillis round-trip time added
     * @param bytesPerSecond server-to-client bandwidth shared by all connections
     */
    LinkProxy(int targetPort, double rttMillis, long bytesPerSecond) throws IOException {
        this.targetPort = targetPort;
        this.oneWayNanos = (long) (rttMillis * 1e6 / 2);
        this.down = new Bucket(bytesPerSecond);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "link-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, null);
                pump(upstream, client, down);
            } catch (IOException e) {
                return;
            }
        }
    }

    private record Packet(long due, byte[] bytes, int length) { }

    /** Reader thread → delay queue → writer thread (paced by {@code bucket} when not null). */
    private void pump(Socket from, Socket to, Bucket bucket) {
        BlockingQueue<Packet> queue = new LinkedBlockingQueue<>(4096);
        Thread reader = new Thread(() -> {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
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
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Packet p = queue.take();
                    if (p.length < 0) {
                        break;
                    }
                    sleepUntil(p.due);
                    if (bucket != null) {
                        bucket.take(p.length);
                    }
                    out.write(p.bytes, 0, p.length);
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
            closeQuietly(to);
            closeQuietly(from);
        }, "link-proxy-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
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
            }
            sleepUntil(due);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
