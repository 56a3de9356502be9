package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the Javadoc snippets of the target SPI compiling, run on an {@link MboxStore}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TargetSnippetTest {

    private static final Logger log = LoggerFactory.getLogger(TargetSnippetTest.class);

    /** The snippet of {@link TargetFolder}. */
    static void appendSnippet(MessageTarget target, FolderInfo info, MessageIdExtractor extractor,
            MessageIdentity id, Instant date, Path eml) throws IOException {
        try (TargetFolder folder = target.open(info, extractor)) {
            TargetFolder.NewMessage m = new TargetFolder.NewMessage(0, 0, id, -1, date, Set.of("\\Seen"), null);
            try (InputStream in = Files.newInputStream(eml)) {
                ArchivedMessage stored = folder.append(m, in);
                log.info("stored {} bytes", stored.length());
            }
            folder.commit();
        }
    }

    /** The snippet of {@link MessageTarget}. */
    static void countSnippet(MessageTarget target, FolderInfo info) throws BackupException {
        try (TargetFolder folder = target.open(info, MessageIdExtractor.standard())) {
            Set<String> held = new HashSet<>();
            folder.messages().forEach(m -> held.add(m.identity().value()));
            log.info("{} holds {} distinct messages", target.location(info), held.size());
            folder.commit();
        }
    }

    /** The snippets of {@link MailboxStore} and {@link FolderArchive}. */
    static void storeSnippets(MailboxStore store, FolderInfo info) throws BackupException {
        for (FolderInfo folder : store.folders()) {
            log.info("{} in {}", folder.name(), store.location(folder));
        }
        try (FolderArchive archive = store.open(info, MessageIdExtractor.standard())) {
            archive.state().ifPresent(s -> log.info("UIDNEXT {}", s.uidNext()));
        }
    }

    @Test
    void theSnippetsAppendAndListThroughTheTargetSpi(@TempDir Path dir) throws IOException {
        Path eml = dir.resolve("m.eml");
        Files.writeString(eml, "Message-ID: <a@x>\r\n\r\nbody\r\n", StandardCharsets.US_ASCII);
        MessageTarget target = MboxStore.builder(dir.resolve("backup")).build();
        FolderInfo info = new FolderInfo("INBOX", "/", Set.of(), false);
        MessageIdentity id;
        try (InputStream in = Files.newInputStream(eml)) {
            id = MessageIdExtractor.standard().identify(in);
        }
        appendSnippet(target, info, MessageIdExtractor.standard(), id, Instant.parse("2020-01-01T00:00:00Z"), eml);
        countSnippet(target, info);
        storeSnippets((MailboxStore) target, info);
        try (TargetFolder folder = target.inspect(info, MessageIdExtractor.standard())) {
            assertThat(folder.messages()).singleElement().satisfies(m -> {
                assertThat(m.identity()).isEqualTo(id);
                assertThat(m.flags()).containsExactly("\\Seen");
            });
        }
    }
}
