package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import java.lang.reflect.Field;

/**
 * Runs host1 → host2 copies with a migration's deletions from this module's tests, which cannot
 * see the engine's package: a {@link RestoreSession} (the same engine, policy without incremental
 * state) with the builder's package-private deletions set by reflection (the tests run on the
 * class path). Once the public {@code MigrateSession.Builder} has {@code deleteFromTarget},
 * {@code deleteFromSource} and {@code deleteTargetFolders}, use those instead.
 */
final class Migrations {

    private Migrations() { }

    /**
     * Copies every folder of {@code host1} to {@code host2}, deleting as asked.
     *
     * @param dryRun whether to plan only
     * @return the report
     */
    static BackupReport migrate(ImapSource host1, ImapTarget host2, boolean fromTarget, boolean fromSource,
            boolean targetFolders, boolean dryRun) throws BackupException {
        RestoreSession.Builder b = RestoreSession.builder().source(host1).target(host2).connections(2);
        try {
            Class<?> deletions = Class.forName("io.github.imapbackup.internal.EngineConfig$Deletions");
            Object d = deletions.getConstructor(boolean.class, boolean.class, boolean.class)
                    .newInstance(fromTarget, fromSource, targetFolders);
            Field f = b.getClass().getSuperclass().getDeclaredField("deletions");
            f.setAccessible(true);
            f.set(b, d);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the engine's deletions cannot be set: " + e, e);
        }
        RestoreSession session = b.build();
        return dryRun ? session.plan() : session.run();
    }
}
