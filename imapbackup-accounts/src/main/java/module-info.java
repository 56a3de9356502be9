/**
 * Many accounts, unattended: the configuration model and its file reader, provider presets, and
 * the runner that backs up many accounts in parallel within connection limits.
 */
module io.github.imapbackup.accounts {
    requires transitive io.github.imapbackup;
    requires transitive io.github.imapbackup.mbox;
    requires transitive io.github.imapbackup.imap;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;
    requires java.net.http;

    exports io.github.imapbackup.accounts;
}
