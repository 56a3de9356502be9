/** An application that backs up mail with imapbackup. */
module com.example.mailbackup {
    requires io.github.imapbackup.imap; // ImapSource; requires transitive io.github.imapbackup
    requires io.github.imapbackup.mbox; // MboxStore and its read-only view, MboxImporter
}
