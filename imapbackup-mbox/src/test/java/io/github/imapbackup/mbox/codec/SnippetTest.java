package io.github.imapbackup.mbox.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.CompressionCodec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keeps the snippet of this package's Javadoc ({@code package-info.java}) compiling. */
@Timeout(10)
class SnippetTest {

    @Test
    void theSnippetChoosesCodecs() {
        MboxStore store = MboxStore.builder(Path.of("backup")).codec("gzip").build();
        CompressionCodec found = Codecs.bySuffix("Inbox.mbox.gz").orElse(Codecs.NONE);
        assertThat(store.codec().name()).isEqualTo("gzip");
        assertThat(found).isSameAs(Codecs.GZIP);
    }
}
