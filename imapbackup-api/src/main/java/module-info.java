/**
 * The imapbackup API (the package {@code io.github.imapbackup.internal} is not exported): {@link io.github.imapbackup.BackupSession}, the model, the listener, the
 * exceptions, and in {@code io.github.imapbackup.spi} the pluggable parts.
 */
@SuppressWarnings("module") // the qualified export names a module compiled later
module io.github.imapbackup {
    requires transitive org.slf4j;

    exports io.github.imapbackup;
    exports io.github.imapbackup.spi;
    // the importer runs through the engine
    exports io.github.imapbackup.internal to io.github.imapbackup.mbox;
}
