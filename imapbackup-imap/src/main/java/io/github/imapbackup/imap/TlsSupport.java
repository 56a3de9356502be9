package io.github.imapbackup.imap;

import io.github.imapbackup.ConnectionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the TLS socket factory: JDK or file trust anchors plus host name checks, or trust-all. */
final class TlsSupport {

    private TlsSupport() { }

    /**
     * Returns a socket factory for the source's settings; every socket it makes checks the host
     * name (endpoint identification) unless {@code insecure}, and presents the client certificate
     * of {@code keys} when the server asks for one.
     */
    static SSLSocketFactory socketFactory(Path trustStore, Supplier<char[]> storePassword, KeyManager[] keys,
            boolean insecure, String where) throws ConnectionException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (insecure) {
                context.init(keys, new TrustManager[] {new TrustAll()}, null);
                return context.getSocketFactory();
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore == null ? null : load(trustStore, storePassword));
            context.init(keys, tmf.getTrustManagers(), null);
            return new HostChecking(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new ConnectionException(where + ": cannot set up TLS: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConnectionException(where + ": the trust store " + trustStore + " " + e.getMessage()
                    + " (give a PEM file of CA certificates, or a PKCS12 or JKS store and its password)", e);
        }
    }

    /** Reads a PEM file of certificates or a PKCS12/JKS key store into a key store of trust anchors. */
    static KeyStore load(Path file, Supplier<char[]> storePassword)
            throws IOException, GeneralSecurityException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
            return fromPem(file);
        }
        char[] password = storePassword == null ? null : storePassword.get();
        try {
            KeyStore store = open(file, password);
            if (countCertificates(store) == 0 && password == null) {
                // A PKCS12 store whose certificates are encrypted needs its password.
                char[] customary = "changeit".toCharArray();
                store = open(file, customary);
            }
            if (countCertificates(store) == 0) {
                throw new IOException("holds no readable certificates (wrong or missing password?)");
            }
            return store;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Opens a PKCS12 or JKS store; what is neither, or a wrong password, is said in words. */
    private static KeyStore open(Path file, char[] password) throws IOException {
        try {
            return KeyStore.getInstance(file.toFile(), password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("is neither PEM certificates nor a PKCS12 or JKS store, or the store's password"
                    + " is wrong", e);
        }
    }

    private static final java.util.regex.Pattern PEM_CERTIFICATE = java.util.regex.Pattern.compile(
            "-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END (?:X509 |TRUSTED )?CERTIFICATE-----");

    /** Reads every CERTIFICATE block of a PEM file; other blocks (keys) and text are skipped. */
    private static KeyStore fromPem(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        java.util.regex.Matcher m = PEM_CERTIFICATE.matcher(text);
        int i = 0;
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            Certificate c = cf.generateCertificate(new java.io.ByteArrayInputStream(der));
            store.setCertificateEntry("cert-" + i++, c);
        }
        if (i == 0) {
            throw new IOException("holds no certificate (a PEM file without a CERTIFICATE block)");
        }
        return store;
    }

    private static int countCertificates(KeyStore store) throws GeneralSecurityException {
        int n = 0;
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.getCertificate(alias) != null) {
                n++;
            }
        }
        return n;
    }

    /** Wraps a socket factory so that every socket checks the server's host name (as HTTPS does). */
    static final class HostChecking extends ForwardingSslFactory {

        HostChecking(SSLSocketFactory delegate) {
            super(delegate);
        }

        @Override
        Socket made(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
            }
            return socket;
        }
    }

    /** Trusts every certificate and every host name: only for {@code insecure(true)}. */
    static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
    }
}
