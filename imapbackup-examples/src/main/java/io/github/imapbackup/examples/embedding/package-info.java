/**
 * Short programs that show how to embed imapbackup: {@link
 * io.github.imapbackup.examples.embedding.SimpleBackup}, {@link
 * io.github.imapbackup.examples.embedding.ProgressListenerExample} and {@link
 * io.github.imapbackup.examples.embedding.ImportAndExport}.
 */
package io.github.imapbackup.examples.embedding;
