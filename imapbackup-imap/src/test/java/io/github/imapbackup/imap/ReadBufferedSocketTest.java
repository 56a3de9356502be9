package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The buffer under a TLS layer: what it reads is what the socket carried, in far fewer reads of the
 * socket than the TLS layer makes; it takes no lock; everything else is the plain socket's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadBufferedSocketTest {

    private static final Path TLS = Path.of("src/test/resources/tls");

    @RegisterExtension
    final Seeds seeds = new Seeds();

    /**
     * A stream that hands out at most a random number of bytes per read (all that is asked when
     * {@code most} is 0), and counts the reads.
     */
    private static final class Trickle extends FilterInputStream {
        private final Random random;
        private final int most;
        int reads;

        Trickle(byte[] data, Random random, int most) {
            super(new ByteArrayInputStream(data));
            this.random = random;
            this.most = most;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, most <= 0 ? len : Math.min(len, 1 + random.nextInt(most)));
        }
    }

    @Test
    void readsInAnyPatternGiveTheBytesInOrder() throws IOException {
        long seed = seeds.pick();
        Random random = new Random(seed);
        byte[] data = new byte[300_000 + random.nextInt(100_000)];
        random.nextBytes(data);
        for (int round = 0; round < 20; round++) {
            int size = 1 + random.nextInt(3 * ReadBufferedSocket.BUFFER);
            ReadBufferedSocket.Buffered in = new ReadBufferedSocket.Buffered(new Trickle(data, random, size), 4096);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[10_000];
            while (true) {
                int kind = random.nextInt(10);
                if (kind == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                } else if (kind == 1) {
                    long skipped = in.skip(1 + random.nextInt(20));
                    int from = out.size();
                    out.write(data, from, (int) Math.min(skipped, data.length - from)); // what it skipped
                } else {
                    int len = random.nextInt(chunk.length);
                    int n = in.read(chunk, 0, len);
                    if (n < 0) {
                        break;
                    }
                    assertThat(n).as("seed %d", seed).isBetween(len == 0 ? 0 : 1, len);
                    out.write(chunk, 0, n);
                }
            }
            assertThat(out.toByteArray()).as("seed %d round %d", seed, round).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(chunk, 0, 10)).isEqualTo(-1);
        }
    }

    @Test
    void aTlsPatternOfHeaderThenBodyCostsOneReadPerBufferful() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        Trickle socket = new Trickle(data, null, 0); // all that is asked
        ReadBufferedSocket.Buffered in = new ReadBufferedSocket.Buffered(socket, ReadBufferedSocket.BUFFER);
        byte[] header = new byte[5];
        byte[] body = new byte[4096];
        int records = 0;
        while (in.readNBytes(header, 0, 5) == 5) {
            records++;
            in.readNBytes(body, 0, body.length);
        }
        assertThat(records).isEqualTo(data.length / (5 + 4096) + 1);
        assertThat(socket.reads).as("reads of the socket for %d records", records)
                .isLessThanOrEqualTo(data.length / ReadBufferedSocket.BUFFER + 2);
    }

    @Test
    void aLongReadWithTheBufferEmptyGoesStraightToTheStream() throws IOException {
        byte[] data = new byte[200_000];
        new Random(3).nextBytes(data);
        Trickle socket = new Trickle(data, null, 0);
        ReadBufferedSocket.Buffered in = new ReadBufferedSocket.Buffered(socket, 1000);
        byte[] b = new byte[150_000];
        assertThat(in.read(b, 0, b.length)).isEqualTo(b.length);
        assertThat(Arrays.copyOf(b, b.length)).isEqualTo(Arrays.copyOf(data, b.length));
        assertThat(in.available()).as("nothing buffered: the stream's").isEqualTo(50_000);
        assertThat(in.read()).isEqualTo(data[150_000] & 0xff);
        assertThat(in.available()).as("the buffer's").isEqualTo(999);
        assertThatThrownBy(() -> in.read(b, 10, b.length)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void everythingButTheInputIsThePlainSocketsAndAReadBlockedOnItEndsWhenItCloses() throws Exception {
        Socket plain = new Socket();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            plain.connect(server.getLocalSocketAddress());
            Socket peer = server.accept();
            ReadBufferedSocket s = new ReadBufferedSocket(plain);
            assertThat(s.getInputStream()).isSameAs(s.getInputStream());
            assertThat(s.getChannel()).isNull();
            s.setSoTimeout(12_345);
            assertThat(plain.getSoTimeout()).isEqualTo(12_345);
            s.setTcpNoDelay(true);
            assertThat(plain.getTcpNoDelay()).isTrue();
            assertThat(s.getPort()).isEqualTo(server.getLocalPort());
            assertThat(s.getLocalPort()).isEqualTo(plain.getLocalPort());
            assertThat(s.isConnected()).isTrue();

            s.getOutputStream().write("ping".getBytes());
            assertThat(peer.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());
            peer.getOutputStream().write("pong".getBytes());
            assertThat(s.getInputStream().readNBytes(4)).isEqualTo("pong".getBytes());

            InputStream in = s.getInputStream();
            CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read();
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(200);
            assertThat(blocked).isNotDone();
            assertThat(in.available()).as("no lock held by the blocked read").isZero();
            plain.close(); // as LiveSockets does to cancel
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
            assertThat(s.isClosed()).isTrue();
            assertThatThrownBy(s::getInputStream).isInstanceOf(SocketException.class);
            peer.close();
        } finally {
            plain.close();
        }
    }

    @Test
    void tlsLayeredOnItCarriesTheBytesAndChecksTheHostName() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream f = Files.newInputStream(TLS.resolve("localhost.p12"))) {
            keys.load(f, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        byte[] data = new byte[3_000_000];
        new Random(5).nextBytes(data);
        SSLSocketFactory tls = ReadBufferedSocket.layeringOnBuffered(
                TlsSupport.socketFactory(TLS.resolve("localhost.pem"), null, null, false, "test"));

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                    for (int off = 0; off < data.length; off += 4000) { // records of 4 KB, as Dovecot's
                        out.write(data, off, Math.min(4000, data.length - off));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            try (SSLSocket s = (SSLSocket) tls.createSocket(plain, "localhost", server.getLocalPort(), true)) {
                byte[] got = s.getInputStream().readNBytes(data.length);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                assertThat(sha.digest(got)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
                assertThat(s.getSession().getPeerHost()).isEqualTo("localhost");
            }
            assertThat(plain.isClosed()).as("closing the TLS socket closes the plain one").isTrue();
            sent.get(10, TimeUnit.SECONDS);

            Socket wrongName = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            CompletableFuture.runAsync(() -> {
                try (Socket peer = server.accept()) {
                    peer.getInputStream().read();
                } catch (IOException e) {
                    // the client refused the handshake
                }
            });
            try (SSLSocket s = (SSLSocket) tls.createSocket(wrongName, "127.0.0.1", server.getLocalPort(), true)) {
                assertThatThrownBy(s::startHandshake).as("the host name is still checked")
                        .hasMessageContaining("127.0.0.1");
            }
        }
    }
}
