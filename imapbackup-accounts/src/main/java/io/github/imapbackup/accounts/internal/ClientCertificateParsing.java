package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.ClientCertificateFiles;
import io.github.imapbackup.accounts.Credentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads a TLS client certificate: {@code {pkcs12: FILE, password: {…}}} or {@code {certificate: FILE, key: FILE}}. */
final class ClientCertificateParsing {

    private ClientCertificateParsing() { }

    static Optional<ClientCertificateFiles> read(Node node, String path, Context cx) {
        Fields f = Fields.of(node, path, cx.problems(), List.of("pkcs12", "password", "certificate", "key"),
                "a client certificate");
        if (f == null) {
            return Optional.empty();
        }
        if (f.has("pkcs12") == (f.has("certificate") || f.has("key"))) {
            cx.problems().add(node, path, "give {pkcs12: FILE, password: {file: …}} or {certificate: FILE, key: FILE},"
                    + " one of the two");
            return Optional.empty();
        }
        if (f.has("pkcs12")) {
            Optional<Path> store = f.path("pkcs12", cx.base())
                    .flatMap(p -> SecretParsing.checkedFile(p, f, "pkcs12", "the client certificate", cx));
            Credentials.SecretSource password = f.get("password")
                    .flatMap(n -> SecretParsing.source(n, f.path("password"), "the client certificate's password", cx))
                    .orElse(null);
            return store.map(p -> ClientCertificateFiles.pkcs12(p, password));
        }
        if (f.has("password")) {
            f.problem("password", "a password applies to a pkcs12 store; the PEM key must not be encrypted");
        }
        if (!f.has("certificate") || !f.has("key")) {
            cx.problems().add(node, path, "a PEM client certificate needs both certificate: FILE and key: FILE");
            return Optional.empty();
        }
        Optional<Path> certificate = SecretParsing.readableFile(f, "certificate", "the client certificate", cx);
        Optional<Path> key = f.path("key", cx.base())
                .flatMap(p -> SecretParsing.checkedFile(p, f, "key", "the client certificate's private key", cx));
        return certificate.flatMap(c -> key.map(k -> ClientCertificateFiles.pem(c, k)));
    }
}
