/**
 * The imapbackup API: {@link io.github.imapbackup.BackupSession}, the model, the listener, the
 * exceptions, and in {@code io.github.imapbackup.spi} the pluggable parts. The package
 * {@code io.github.imapbackup.internal} is no API: it is exported only to the sibling module
 * {@code io.github.imapbackup.mbox}, whose importer and exporter share the engine's listener
 * dispatch. (The qualified export names a module that is built after this one, hence the
 * suppressed "module not found" warning.)
 */
@SuppressWarnings("module")
module io.github.imapbackup {
    requires transitive org.slf4j;

    exports io.github.imapbackup;
    exports io.github.imapbackup.spi;
    exports io.github.imapbackup.internal to io.github.imapbackup.mbox;
}
