package io.github.imapbackup.imap;

import io.github.imapbackup.testing.net.TcpProxy;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A TCP proxy in front of a test server that counts connections and records what clients send. */
final class RecordingProxy implements Closeable {

    private final TcpProxy proxy;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    RecordingProxy(int targetPort) {
        this.proxy = TcpProxy.start("127.0.0.1", targetPort, c -> new TcpProxy.Link() {
            @Override
            public void upstream(InputStream fromClient, OutputStream toServer) throws IOException {
                byte[] buf = new byte[65536];
                for (int n; (n = fromClient.read(buf)) > 0; ) {
                    synchronized (sent) {
                        sent.write(buf, 0, n);
                    }
                    toServer.write(buf, 0, n);
                    toServer.flush();
                }
            }
        });
    }

    int port() {
        return proxy.port();
    }

    int connections() {
        return proxy.connections();
    }

    /** Returns everything clients sent so far (ASCII). */
    String sent() {
        synchronized (sent) {
            return sent.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        proxy.close();
    }
}
