package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.testing.DirectoryTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source filters of a migration (docs/ARCHITECTURE.md, "Source filters"): search, age and size,
 * combined with AND, on GreenMail; a refused expression named before any folder; a backup refuses a
 * filtered source.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SourceFilterIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final Instant NOW = Instant.now();

    /** Subject → [age in days, body size]. */
    @BeforeEach
    void fill() throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        add(user, "old-small", "carol@example.org", 400, 10);
        add(user, "old-big", "dave@example.net", 400, 5000);
        add(user, "new-small", "carol@example.org", 3, 10);
        add(user, "new-big", "dave@example.net", 3, 5000);
    }

    private static void add(GreenMailUser user, String subject, String from, int days, int size) throws Exception {
        Fixtures.append(greenMail, user, "INBOX", Fixtures.message("<" + subject + "@filter>", from, subject,
                "x".repeat(size) + "\n"), null, NOW.minus(Duration.ofDays(days)));
    }

    private static List<String> listed(UnaryOperator<ImapSource.Builder> filters) throws Exception {
        try (SourceConnection c = filters.apply(Fixtures.plain(greenMail)).build().connect()) {
            FolderInfo inbox = c.folders().stream().filter(f -> f.name().equals("INBOX")).findFirst().orElseThrow();
            try (SourceFolder f = c.open(inbox, io.github.imapbackup.spi.MessageIdExtractor.standard())) {
                return f.messages(1).stream().map(MessageInfo::identity).map(Object::toString)
                        .map(s -> s.replaceAll(".*<|@filter>.*", "")).sorted().toList();
            }
        }
    }

    @Test
    void eachFilterAloneAndCombinedWithAnd() throws Exception {
        assertThat(listed(b -> b)).containsExactly("new-big", "new-small", "old-big", "old-small");
        assertThat(listed(b -> b.maxAge(30))).containsExactly("new-big", "new-small");
        assertThat(listed(b -> b.minAge(30))).containsExactly("old-big", "old-small");
        assertThat(listed(b -> b.maxSize(1000))).containsExactly("new-small", "old-small");
        assertThat(listed(b -> b.minSize(1000))).containsExactly("new-big", "old-big");
        assertThat(listed(b -> b.search("SUBJECT \"small\""))).containsExactly("new-small", "old-small");
        assertThat(listed(b -> b.search("SUBJECT small").maxAge(30))).containsExactly("new-small");
        assertThat(listed(b -> b.minSize(1000).minAge(30))).containsExactly("old-big");
    }

    @Test
    void anExpressionTheServerRefusesIsNamedBeforeAnyFolder() {
        ImapSource source = Fixtures.plain(greenMail).search("FROMM carol").build();
        assertThatThrownBy(source::connect).isInstanceOf(SearchRejectedException.class)
                .hasMessageContaining("\"FROMM carol\"").hasMessageContaining("INBOX")
                .satisfies(e -> assertThat(((SearchRejectedException) e).expression()).isEqualTo("FROMM carol"));
    }

    @Test
    void aBackupRefusesAFilteredSource(@TempDir Path dir) {
        ImapSource source = Fixtures.plain(greenMail).maxAge(30).build();
        assertThat(source.filtered()).isTrue();
        assertThat(source.toBuilder().maxAge(-1).build().filtered()).isFalse();
        assertThatThrownBy(() -> BackupSession.builder().source(source).target(new DirectoryTarget(dir)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("migration");
    }
}
