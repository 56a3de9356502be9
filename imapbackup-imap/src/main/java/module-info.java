/** The IMAP side of imapbackup over Jakarta Mail (Eclipse Angus Mail). */
module io.github.imapbackup.imap {
    requires transitive io.github.imapbackup;
    requires jakarta.mail;
    requires org.eclipse.angus.mail;
    requires org.slf4j;

    exports io.github.imapbackup.imap;
}
