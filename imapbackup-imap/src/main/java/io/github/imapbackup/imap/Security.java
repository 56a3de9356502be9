package io.github.imapbackup.imap;

/** How the connection to an IMAP server is protected. */
public enum Security {
    /** Implicit TLS from the first byte (port 993 by default). */
    TLS(993),
    /** Plain connection upgraded with STARTTLS before authenticating (port 143); refused if the server does not offer it. */
    STARTTLS(143),
    /** No protection at all (port 143). */
    NONE(143);

    private final int defaultPort;

    Security(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** {@return the port used when none is given} */
    public int defaultPort() {
        return defaultPort;
    }
}
