package io.github.imapbackup.accounts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Writes configuration files and the files they name into a test's directory. */
final class ConfigFiles {

    /** The secret and certificate files that {@code config/complete.*} names. */
    static final List<String> COMPLETE_FILES = List.of("secrets/alice.pass", "secrets/alice.p12", "certs/ca.pem",
            "secrets/google-client.secret", "secrets/bob.refresh", "certs/dave.crt", "secrets/dave.key",
            "secrets/erin.refresh", "secrets/frank.token");

    private ConfigFiles() { }

    /** Writes a file readable by its owner only, with the given first line. */
    static Path secret(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a test resource into a directory, with the files {@code config/complete.*} names. */
    static Path resource(Path dir, String resource) {
        try (InputStream in = ConfigFiles.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            Path p = dir.resolve(Path.of(resource).getFileName().toString());
            Files.write(p, in.readAllBytes());
            for (String f : COMPLETE_FILES) {
                secret(dir, f, "secret of " + f + "\n");
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a configuration file. */
    static Path write(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
