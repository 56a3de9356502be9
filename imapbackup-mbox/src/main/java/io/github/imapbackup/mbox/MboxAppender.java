package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.mbox.internal.DiskErrors;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.internal.Senders;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Writes messages into the mbox file of a folder archive: straight into an uncompressed mbox, or
 * through a spool file into the open member of a compressed one (so a failing source never leaves
 * half a message in a member), which a {@link CompressorPipe} compresses on a thread of its own.
 */
final class MboxAppender {

    /** How many bytes of a message's header are read for its From_ line sender when it has none. */
    private static final int SENDER_SNIFF = 64 * 1024;

    private final String folderName;
    private final Path mboxFile;
    private final Path spoolFile;
    /** Holds each message of a compressed archive until it is complete. */
    private final Spool spool;
    private final CompressionCodec codec;
    private final boolean compressed;
    private final FileChannel mbox;

    /** The uncompressed length of the mbox: where the next message starts. */
    private long logical;
    /** Set when a write left the mbox in a state that only reopening repairs. */
    private boolean failed;
    private MboxWriter member;
    /** The thread compressing the open member; ended when the member is finished or dropped. */
    private CompressorPipe pipe;
    /** The writer of an uncompressed mbox, reused across appends; dropped after a failure. */
    private MboxWriter plainWriter;
    private long memberStart;
    private long memberLogicalStart;

    MboxAppender(String folderName, MboxFolderArchive.ArchiveFiles files, CompressionCodec codec, FileChannel mbox,
            long logical) {
        this.folderName = folderName;
        this.mboxFile = files.mbox();
        this.spoolFile = files.spool();
        this.spool = new Spool(spoolFile);
        this.codec = codec;
        this.compressed = !codec.suffix().isEmpty();
        this.mbox = mbox;
        this.logical = logical;
    }

    boolean failed() {
        return failed;
    }

    /** The uncompressed length of the mbox with everything appended. */
    long logical() {
        return logical;
    }

    /** Appends a message; returns its index entry (not yet recorded). */
    IndexEntry append(FolderArchive.NewMessage message, InputStream content, java.time.Instant archivedAt)
            throws BackupException {
        MboxWriter.Written w;
        long memberAt = -1;
        long memberLogicalAt = -1;
        if (compressed) {
            spool(message, content);
            try {
                InputStream in = spool.content();
                if (member == null) {
                    memberStart = mbox.position();
                    memberLogicalStart = logical;
                    OutputStream out = codec.compress(CloseShieldOutputStream.wrap(Channels.newOutputStream(mbox)));
                    pipe = new CompressorPipe(out, mboxFile.getFileName().toString());
                    member = new MboxWriter(pipe, logical);
                }
                memberAt = memberStart;
                memberLogicalAt = memberLogicalStart;
                w = member.write(sender(message, in), message.internalDate(), in);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw new FolderException(folderName, "writing to " + mboxFile
                        + " failed; the archive must be reopened (uncommitted messages are lost): "
                        + (e instanceof IOException io ? DiskErrors.why(io) : String.valueOf(e)), e);
            }
        } else {
            w = appendPlain(message, content);
        }
        logical = w.end();
        long size = message.size() < 0 ? w.length() : message.size();
        return new IndexEntry(message.uidValidity(), message.uid(), message.identity(),
                w.offset(), w.end(), w.length(), w.sha256(), size, message.internalDate(),
                w.newlineAdded() ? 1 : 0, memberAt, memberLogicalAt, message.flags(), false, archivedAt);
    }

    private MboxWriter.Written appendPlain(FolderArchive.NewMessage message, InputStream content) throws BackupException {
        long start = logical;
        SourceInputStream source = new SourceInputStream(content);
        try {
            if (plainWriter == null) {
                plainWriter = new MboxWriter(CloseShieldOutputStream.wrap(Channels.newOutputStream(mbox)), start);
            }
            InputStream in = message.sender() != null ? source : new BufferedInputStream(source, SENDER_SNIFF);
            MboxWriter.Written w = plainWriter.write(sender(message, in), message.internalDate(), in);
            plainWriter.flush();
            return w;
        } catch (IOException | RuntimeException e) {
            plainWriter = null;
            try {
                mbox.truncate(start);
                mbox.position(start);
            } catch (IOException t) {
                failed = true;
                e.addSuppressed(t);
            }
            throw failure(message, source, e, mboxFile);
        }
    }

    /**
     * The sender for the From_ line: the message's, else the one its header names (a source that
     * would have to read each message to know it, such as a backup directory, leaves it to us).
     *
     * @param in the message, supporting mark; reset to its start
     */
    private static String sender(FolderArchive.NewMessage message, InputStream in) throws IOException {
        return message.sender() != null ? message.sender() : Senders.sniff(in, SENDER_SNIFF);
    }

    private void spool(FolderArchive.NewMessage message, InputStream content) throws BackupException {
        SourceInputStream source = new SourceInputStream(content);
        try {
            spool.fill(source);
        } catch (IOException | RuntimeException e) {
            throw failure(message, source, e, spoolFile);
        }
    }

    private BackupException failure(FolderArchive.NewMessage message, SourceInputStream source, Exception e,
            Path file) {
        if (source.failed && e instanceof BackupException be) {
            return be;
        }
        String what = source.failed ? "reading the message failed: " + e.getMessage() : "writing " + file
                + " failed: " + (e instanceof IOException io ? DiskErrors.why(io) : String.valueOf(e));
        return message.uid() > 0 ? new FolderException(folderName, message.uid(), what, e)
                : new FolderException(folderName, what, e);
    }

    /** Finishes the open member if it holds {@code e}, so that {@code e} can be read back. */
    void finishMemberHolding(IndexEntry e) throws BackupException {
        if (member != null && e.offset >= memberLogicalStart) {
            try {
                finishMember();
            } catch (IOException x) {
                failed = true;
                throw new FolderException(folderName, "writing " + mboxFile + " failed: " + DiskErrors.why(x), x);
            }
        }
    }

    /** Finishes the open member and forces the mbox to disk; returns its length. */
    long sync() throws IOException {
        finishMember();
        mbox.force(true);
        return mbox.position();
    }

    private void finishMember() throws IOException {
        if (member != null) {
            MboxWriter m = member;
            member = null;
            pipe = null;
            m.close();
        }
    }

    /** Drops the open member (its compressor writes nothing more) and cuts the mbox back to {@code length}. */
    void truncate(long length) throws IOException {
        dropMember();
        mbox.truncate(length);
    }

    private void dropMember() {
        member = null;
        if (pipe != null) {
            CompressorPipe p = pipe;
            pipe = null;
            p.abort();
        }
    }

    /** Drops a member still open (its thread ends), then closes and deletes the spool file. */
    void closeSpool() throws IOException {
        dropMember();
        spool.close();
    }
}
