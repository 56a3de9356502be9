package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.ForwardingTarget;
import io.github.imapbackup.testing.MemorySource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine shows the target the whole run before any folder ({@code MessageTarget.prepare}):
 * every selected folder in the run's order and the source's personal prefix, in a run and in a
 * dry run; a target that refuses the mapping stops the run before any folder is opened.
 */
@Timeout(20)
class TargetPrepareTest {

    private final MemorySource host1 = new MemorySource("host1");
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    /** host2 of files, recording what the engine asks in order; refusing the run when {@code refuse}. */
    private ForwardingTarget host2(boolean refuse) {
        return new ForwardingTarget(new DirectoryTarget(dir)) {
            @Override
            public void prepare(List<FolderInfo> folders, String sourcePrefix) throws BackupException {
                calls.add("prepare " + folders.stream().map(FolderInfo::name).toList() + " prefix " + sourcePrefix);
                if (refuse) {
                    throw new FolderCollisionException(describe(), Map.of("Both", List.of("INBOX.A", "B")));
                }
            }

            @Override
            public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
                calls.add("open " + folder.name());
                return super.open(folder, extractor);
            }

            @Override
            public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
                calls.add("inspect " + folder.name());
                return super.inspect(folder, extractor);
            }
        };
    }

    private void fill() {
        host1.personalPrefix("INBOX.");
        for (String f : List.of("INBOX", "INBOX.A", "B", "Trash")) {
            host1.folder(f).add("Message-ID: <" + f + "@example.org>\r\n\r\nin " + f + "\r\n");
        }
    }

    @Test
    void theTargetSeesEverySelectedFolderAndTheSourcesPrefixOnceBeforeAnyFolder() throws Exception {
        fill();

        BackupReport report = MigrateSession.builder().source(host1).target(host2(false)).exclude("Trash")
                .connections(2).build().run();

        assertThat(report.allErrors()).isEmpty();
        assertThat(calls).hasSize(4).first().isEqualTo("prepare [INBOX, INBOX.A, B] prefix INBOX.");
        assertThat(calls.subList(1, 4)).containsExactlyInAnyOrder("open INBOX", "open INBOX.A", "open B");
    }

    @Test
    void aDryRunPreparesToo() throws Exception {
        fill();

        MigrateSession.builder().source(host1).target(host2(false)).build().plan();

        assertThat(calls).first().isEqualTo("prepare [INBOX, INBOX.A, B, Trash] prefix INBOX.");
        assertThat(calls).filteredOn(c -> c.startsWith("open")).isEmpty();
    }

    @Test
    void aRefusedMappingStopsTheRunBeforeAnyFolderIsOpenedAndTheReportSaysWhy() {
        fill();

        for (boolean dryRun : new boolean[] {false, true}) {
            calls.clear();
            MigrateSession session = MigrateSession.builder().source(host1).target(host2(true)).build();
            assertThatThrownBy(dryRun ? session::plan : session::run)
                    .isInstanceOf(FolderCollisionException.class)
                    .hasMessageContaining("\"INBOX.A\" and \"B\" would both go into \"Both\"")
                    .satisfies(e -> {
                        BackupReport r = ((BackupException) e).report().orElseThrow();
                        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                        assertThat(r.allErrors()).singleElement()
                                .satisfies(err -> assertThat(err.message()).contains("\"Both\""));
                    });
            assertThat(calls).as("dry run " + dryRun).singleElement().asString().startsWith("prepare");
        }
        assertThat(new DirectoryTarget(dir).folderNames()).as("nothing created").isEmpty();
    }
}
