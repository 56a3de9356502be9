package io.github.imapbackup.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * A connected plain socket whose input is read through a buffer: the socket a TLS layer is put on
 * (docs/ARCHITECTURE.md, "TLS reads"). The JDK's TLS socket reads each record from the socket
 * under it in two reads at least, its 5-byte header and then its body, so a server that sends
 * 4 KB records (Dovecot does) costs a system call per 2 KB; through this buffer one call takes in
 * whatever the kernel holds, up to {@value #BUFFER} bytes. Everything else is the plain socket's:
 * each method passes to it, and closing either closes it.
 *
 * <p>The buffer holds no lock: the TLS socket reads under its own lock, and a read blocked in the
 * plain socket ends when that socket is closed from another thread (as {@link LiveSockets} does).
 */
final class ReadBufferedSocket extends Socket {

    /** The buffer's size: four of the largest TLS records (16 KB and a little). */
    static final int BUFFER = 64 * 1024;

    private final Socket plain;
    private final InputStream in;

    /**
     * Puts a buffer on a connected socket's input.
     *
     * @param plain the connected socket
     * @throws IOException if its input stream cannot be had (it is closed, say)
     */
    ReadBufferedSocket(Socket plain) throws IOException {
        this.plain = Objects.requireNonNull(plain, "plain");
        this.in = new Buffered(plain.getInputStream(), BUFFER);
    }

    /**
     * {@return a factory that layers TLS as {@code tls} does, on sockets whose input is read
     * through a buffer} Only layering gets the buffer (Angus always layers: it connects a plain
     * socket, then puts TLS on it, for implicit TLS and STARTTLS alike); the sockets the factory
     * connects itself are {@code tls}'s own.
     */
    static SSLSocketFactory layeringOnBuffered(SSLSocketFactory tls) {
        return new ForwardingSslFactory(tls) {
            @Override
            Socket made(Socket socket) {
                return socket;
            }

            @Override
            Socket layering(Socket plain) throws IOException {
                return plain instanceof ReadBufferedSocket ? plain : new ReadBufferedSocket(plain);
            }
        };
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (plain.isClosed()) {
            throw new SocketException("Socket is closed");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return plain.getOutputStream();
    }

    /** {@return null: a channel would read past the buffer} */
    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        plain.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        plain.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        plain.bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        plain.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return plain.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        plain.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return plain.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        plain.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        plain.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return plain.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        plain.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return plain.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        plain.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return plain.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        plain.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return plain.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        plain.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return plain.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        plain.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return plain.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        plain.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        plain.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        return plain.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return plain.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return plain.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        plain.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        plain.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return plain.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return plain.supportedOptions();
    }

    @Override
    public String toString() {
        return plain.toString();
    }

    /**
     * An input stream read through a buffer, without the locks of {@link java.io.BufferedInputStream}
     * (whose {@code available()} would wait for a read blocked on the socket). A read as long as the
     * buffer or longer, with the buffer empty, goes straight to the stream.
     */
    static final class Buffered extends InputStream {

        private final InputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;

        Buffered(InputStream in, int size) {
            this.in = in;
            this.buffer = new byte[size];
        }

        @Override
        public int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= buffer.length) {
                    return in.read(b, off, len);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            int buffered = limit - position;
            if (buffered == 0) {
                return in.skip(n);
            }
            int skipped = (int) Math.min(n, buffered);
            position += skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            int buffered = limit - position;
            return buffered > 0 ? buffered : in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        /** Reads what the stream has, up to the buffer's size; false at its end. */
        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false; // a blocking stream reads 1 byte at least, or ends
            }
            position = 0;
            limit = n;
            return true;
        }
    }
}
