/** The IMAP side of imapbackup over Jakarta Mail (Eclipse Angus Mail). */
module io.github.imapbackup.imap {
    requires transitive io.github.imapbackup;
    requires jakarta.mail;
    requires org.eclipse.angus.mail;
    requires org.slf4j;
    // Angus reaches CRAM-MD5 and DIGEST-MD5 through the JDK's SASL (a static dependency there).
    requires java.security.sasl;

    exports io.github.imapbackup.imap;
}
