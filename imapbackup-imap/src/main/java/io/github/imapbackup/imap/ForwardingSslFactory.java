package io.github.imapbackup.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that hands every socket its delegate makes to {@link #made(Socket)},
 * and the plain socket it puts a TLS layer on to {@link #layering(Socket)}: the base of the
 * factories that check host names ({@link TlsSupport}), keep sockets to close ({@link LiveSockets})
 * and read through a buffer ({@link ReadBufferedSocket}).
 */
abstract class ForwardingSslFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;

    ForwardingSslFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    /** {@return the socket the delegate made, after what this factory does to it} */
    abstract Socket made(Socket socket);

    /**
     * Called with the plain socket a TLS layer goes on; returns the socket to layer on instead
     * ({@code plain} unless overridden).
     */
    Socket layering(Socket plain) throws IOException {
        return plain;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return made(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return made(delegate.createSocket(layering(s), host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return made(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return made(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return made(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return made(delegate.createSocket(address, port, localAddress, localPort));
    }
}
