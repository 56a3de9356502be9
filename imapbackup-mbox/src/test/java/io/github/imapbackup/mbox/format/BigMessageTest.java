package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A 200 MB message through writer and reader in a JVM with a 64 MB heap. */
class BigMessageTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void twoHundredMegabyteMessageStreamsThroughWithSmallHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                BigMessageMain.class.getName(), dir.resolve("big.mbox").toString(), String.valueOf(200L << 20))
                .redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(50, TimeUnit.SECONDS)).as("child finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(output).as("child output").contains("OK ");
        assertThat(p.exitValue()).as("child exit status; output: %s", output).isZero();
    }
}
