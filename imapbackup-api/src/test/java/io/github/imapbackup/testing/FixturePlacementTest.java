package io.github.imapbackup.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The api test-jar holds only fixtures that imitate the api (in-memory sources and stores,
 * listeners): nothing in it opens a socket or starts a process. IMAP servers, clients and the
 * Dovecot harness live in the {@code imapbackup-testing} module.
 */
class FixturePlacementTest {

    private static final List<String> FOREIGN = List.of(
            "java/net/Socket", "java/net/ServerSocket", "java/lang/ProcessBuilder");

    @Test
    void apiFixturesNeitherOpenSocketsNorStartProcesses() throws IOException, URISyntaxException {
        Path classes = Path.of(FixturePlacementTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.resolve(FixturePlacementTest.class.getPackageName().replace('.', '/'));
        List<String> offenders;
        try (Stream<Path> files = Files.list(dir)) {
            offenders = files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> !f.getFileName().toString().startsWith(FixturePlacementTest.class.getSimpleName()))
                    .filter(FixturePlacementTest::usesNetworkOrProcess)
                    .map(f -> f.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertThat(offenders)
                .as("fixtures in %s that belong in the imapbackup-testing module", dir)
                .isEmpty();
    }

    private static boolean usesNetworkOrProcess(Path classFile) {
        try {
            String constants = new String(Files.readAllBytes(classFile), ISO_8859_1);
            return FOREIGN.stream().anyMatch(constants::contains);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
