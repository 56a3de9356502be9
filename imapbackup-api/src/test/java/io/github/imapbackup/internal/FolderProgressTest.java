package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import org.junit.jupiter.api.Test;

/** A message's failure as the report gives it: folder and UID named once, before what went wrong. */
class FolderProgressTest {

    @Test
    void aFolderFailureOfOneMessageNamesTheFolderOnce() {
        FolderException e = FolderProgress.failure("INBOX", 7,
                new FolderException("INBOX", "the server refused an APPEND: NO [OVERQUOTA] full", null));

        assertThat(e.getMessage()).isEqualTo("folder \"INBOX\", UID 7: the server refused an APPEND: NO [OVERQUOTA] full");
        assertThat(e.folder()).contains("INBOX");
        assertThat(e.uid()).hasValue(7);
    }

    @Test
    void aFailureOfAnotherFolderOrWithoutFolderKeepsItsWords() {
        assertThat(FolderProgress.failure("INBOX", 7, new FolderException("Sent", "gone", null)).getMessage())
                .isEqualTo("folder \"INBOX\", UID 7: folder \"Sent\": gone");
        assertThat(FolderProgress.failure("INBOX", 7, new BackupException("disk full", null)).getMessage())
                .isEqualTo("folder \"INBOX\", UID 7: disk full");
        FolderException withUid = new FolderException("INBOX", 7, "bad", null);
        assertThat(FolderProgress.failure("INBOX", 7, withUid)).isSameAs(withUid);
    }
}
