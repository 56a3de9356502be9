package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ClientCertificate;
import io.github.imapbackup.imap.Security;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --client-cert}, {@code --client-key} and {@code --client-cert-password-file} as a
 * {@link ClientCertificate}, read and checked before anything connects: every mistake is a usage
 * error naming the option and the file.
 */
final class ClientCertificates {

    private ClientCertificates() { }

    /**
     * Returns the client certificate the options give, or null.
     *
     * @param o the server options
     * @param security the resolved security
     * @param err where warnings go
     * @return the certificate, checked, or null when none is given
     * @throws UsageException naming the option and the file
     */
    static ClientCertificate resolve(ServerOptions o, Security security, PrintStream err) {
        if (o.clientCert == null) {
            if (o.clientKey != null || o.clientCertPasswordFile != null) {
                throw new UsageException((o.clientKey != null ? "--client-key" : "--client-cert-password-file")
                        + " goes with --client-cert FILE (the certificate)");
            }
            return null;
        }
        if (security == Security.NONE) {
            throw new UsageException("--client-cert needs TLS: use --security tls or starttls");
        }
        String problem = FileProblem.ofReadableFile(o.clientCert);
        if (problem != null) {
            throw new UsageException("--client-cert: the file " + o.clientCert + " " + problem);
        }
        boolean pem = isPem(o.clientCert);
        ClientCertificate c;
        if (pem) {
            if (o.clientCertPasswordFile != null) {
                throw new UsageException("--client-cert-password-file is for a PKCS12 file; " + o.clientCert
                        + " is PEM, whose key must be unencrypted");
            }
            c = ClientCertificate.pem(o.clientCert, o.clientKey != null ? o.clientKey : o.clientCert);
        } else {
            if (o.clientKey != null) {
                throw new UsageException("--client-key goes with a PEM certificate; " + o.clientCert
                        + " is no PEM file (a PKCS12 file holds its key: drop --client-key)");
            }
            char[] password = o.clientCertPasswordFile == null ? new char[0]
                    : ServerResolver.readSecretLine(o.clientCertPasswordFile, "--client-cert-password-file", err);
            c = ClientCertificate.pkcs12(o.clientCert, password::clone);
        }
        try {
            c.check();
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw new UsageException((o.clientKey != null && m.contains(o.clientKey.toString()) ? "--client-key: "
                    : "--client-cert: ") + m + (m.contains("password is wrong or missing")
                    ? " (give it with --client-cert-password-file FILE)" : ""), e);
        }
        return c;
    }

    /** Whether the file starts like PEM text (PKCS12 is DER: binary). */
    private static boolean isPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1).contains("-----BEGIN");
        } catch (IOException e) {
            throw new UsageException("--client-cert: the file " + file + " " + FileProblem.of(e), e);
        }
    }
}
