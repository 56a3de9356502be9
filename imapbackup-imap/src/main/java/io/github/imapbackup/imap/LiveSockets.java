package io.github.imapbackup.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The sockets of one account's connections, made through the socket factories it hands to Angus,
 * so that a cancelled run can close them: a read or a write blocked on a silent server then ends
 * at once instead of at the read timeout (docs/ARCHITECTURE.md, "Cancelling"). With TLS the plain
 * socket under the TLS layer is the one kept and closed: closing a TLS socket may wait for a
 * writer blocked on it.
 */
final class LiveSockets {

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    /** Keeps a socket (and forgets the ones closed meanwhile); returns it. */
    <S extends Socket> S add(S socket) {
        sockets.removeIf(Socket::isClosed);
        sockets.add(socket);
        return socket;
    }

    /** Closes every socket open now; later ones are not affected. Returns how many it closed. */
    int closeAll() {
        int closed = 0;
        for (Socket s : sockets) {
            sockets.remove(s);
            if (!s.isClosed()) {
                try {
                    s.close();
                    closed++;
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }
        return closed;
    }

    /** {@return a factory of plain sockets that are kept here (Angus's {@code socketFactory})} */
    SocketFactory plain() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return add(new Socket());
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return add(new Socket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return add(new Socket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return add(new Socket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return add(new Socket(host, port, local, localPort));
            }
        };
    }

    /**
     * {@return {@code tls} keeping here the sockets it makes, and the plain socket under each TLS
     * layer it puts on one (Angus connects a plain socket and layers TLS on it)}
     */
    SSLSocketFactory tls(SSLSocketFactory tls) {
        return new ForwardingSslFactory(tls) {
            @Override
            Socket made(Socket socket) {
                return add(socket);
            }

            @Override
            Socket layering(Socket plain) {
                return add(plain);
            }
        };
    }
}
