package io.github.imapbackup.imap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM certificate chain and an unencrypted PEM private key into a key store, for
 * {@link ClientCertificate}: PKCS#8 keys as they are, PKCS#1 RSA and SEC1 EC keys wrapped into
 * PKCS#8 (the JDK reads only that); the key is checked to belong to the certificate.
 */
final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    /** AlgorithmIdentifier rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    /** The OID id-ecPublicKey, with its tag. */
    private static final byte[] EC_OID = HexFormat.of().parseHex("06072a8648ce3d0201");

    private PemKeys() { }

    /** {@return a key store with the key under the alias {@code client}, protected by {@code password}} */
    static KeyStore keyStore(Path certificateFile, Path keyFile, char[] password)
            throws IOException, GeneralSecurityException {
        List<Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
        if (!belongs(key, chain.get(0))) {
            throw new IOException("the client key " + keyFile + " does not belong to the certificate in "
                    + certificateFile + " (the first certificate there must be the client's own)");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    /** {@return the CERTIFICATE blocks of the file, in order} */
    static List<Certificate> certificates(Path file) throws IOException {
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            if (m.group(1).matches("(X509 |TRUSTED )?CERTIFICATE")) {
                try {
                    out.add(cf.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IOException("the client certificate " + file + " holds a garbled CERTIFICATE block", e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("the client certificate " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----);"
                    + " give a PEM certificate, or a PKCS12 file");
        }
        return out;
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            String label = m.group(1);
            if (label.equals("ENCRYPTED PRIVATE KEY") || label.endsWith("PRIVATE KEY") && m.group(2).contains("ENCRYPTED")) {
                throw new IOException("the client key " + file + " is encrypted: decrypt it (openssl pkey -in "
                        + file.getFileName() + " -out plain.key) or give the certificate and key as a PKCS12 file"
                        + " with its password");
            }
            byte[] der;
            try {
                der = decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException("the client key " + file + " holds a garbled " + label + " block", e);
            }
            byte[] pkcs8 = switch (label) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> sequence(new byte[] {2, 1, 0}, RSA_ALGORITHM, tlv(0x04, der));
                case "EC PRIVATE KEY" -> sequence(new byte[] {2, 1, 0}, sequence(EC_OID, curve(file, der)), tlv(0x04, der));
                default -> null;
            };
            if (pkcs8 != null) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException e) {
                    throw new IOException("the client key " + file + " holds a " + label + " that is no " + algorithm
                            + " key as the certificate's, or is garbled", e);
                }
            }
        }
        throw new IOException("the client key " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----,"
                + " RSA PRIVATE KEY or EC PRIVATE KEY); give --client-key, or a PKCS12 file");
    }

    /** {@return the named-curve OID (with its tag) of a SEC1 key: its [0] parameters} */
    private static byte[] curve(Path file, byte[] sec1) throws IOException {
        try {
            int[] outer = header(sec1, 0); // SEQUENCE
            int i = outer[0];
            while (i < sec1.length) {
                int[] h = header(sec1, i);
                if ((sec1[i] & 0xff) == 0xa0) {
                    return java.util.Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
                }
                i = h[0] + h[1];
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("the client key " + file + " holds a garbled EC PRIVATE KEY", e);
        }
        throw new IOException("the client key " + file + " is an EC key without its curve; convert it to PKCS#8"
                + " (openssl pkey -in " + file.getFileName() + " -out key.pem)");
    }

    /** {@return the offset of the value and its length, for the DER element at {@code at}} */
    private static int[] header(byte[] der, int at) {
        int len = der[at + 1] & 0xff;
        int start = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int k = 0; k < n; k++) {
                len = len << 8 | der[start + k] & 0xff;
            }
            start += n;
        }
        return new int[] {start, len};
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int k = bytes - 1; k >= 0; k--) {
                out.write(n >>> (8 * k));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] decode(String body) {
        StringBuilder base64 = new StringBuilder();
        for (String line : body.split("\\r?\\n")) {
            if (!line.contains(":")) { // headers such as Proc-Type are not Base64
                base64.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    /** Whether the key signs what the certificate's public key verifies; true when it cannot tell. */
    private static boolean belongs(PrivateKey key, Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        byte[] probe = "imapbackup client key check".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(probe);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(certificate.getPublicKey());
        v.update(probe);
        return v.verify(signature);
    }
}
