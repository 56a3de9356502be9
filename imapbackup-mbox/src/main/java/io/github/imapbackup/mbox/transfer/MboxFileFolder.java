package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.DecompressionBombException;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.mbox.internal.HashingInputStream;
import io.github.imapbackup.mbox.internal.HeaderFields;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.format.MboxWarning;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceFolder;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The messages of one mbox file, read in two streaming passes: {@link #messages(long)} derives
 * each message's identity, length, SHA-256, Status flags and date (the From_ line's, else the
 * {@code Date:} header's, else the file's modification time; nothing held but these);
 * {@link #fetchMessages} reads the file again and hands over the bytes, checking that they did not
 * change between the passes. UIDs are positions in the file (1, 2, ..).
 */
final class MboxFileFolder implements SourceFolder {

    /** How much of a message's start is searched for Status:, X-Status:, X-Keywords:, X-Mozilla-*. */
    private static final int STATUS_SNIFF = 64 * 1024;
    private static final Set<String> DATE = Set.of("date");

    private final FolderInfo folder;
    private final Path file;
    private final Dialect dialect;
    private final int maxExpansion;
    private final MessageIdExtractor extractor;
    private final BooleanSupplier stopped;
    /** What the first pass learned, by position; null before it ran. */
    private List<Scanned> scanned;
    private Dialect detected;
    private List<MboxWarning> warnings = List.of();

    MboxFileFolder(FolderInfo folder, Path file, Dialect dialect, int maxExpansion, MessageIdExtractor extractor,
            BooleanSupplier stopped) {
        this.maxExpansion = maxExpansion;
        this.folder = folder;
        this.file = file;
        this.dialect = dialect;
        this.extractor = extractor;
        this.stopped = stopped;
    }

    @Override
    public FolderInfo folder() {
        return folder;
    }

    @Override
    public FolderStatus status() {
        int n = scanned == null ? 0 : scanned.size();
        return new FolderStatus(n, 0, n + 1L, 0);
    }

    /** {@return how many messages the first pass found (0 before it ran)} */
    int count() {
        return scanned == null ? 0 : scanned.size();
    }

    /** {@return where the reader was unsure how to split the file (after the first pass)} */
    List<MboxWarning> warnings() {
        return warnings;
    }

    @Override
    public List<MessageInfo> messages(long fromUid) throws BackupException {
        scan();
        List<MessageInfo> infos = new ArrayList<>();
        for (int i = (int) Math.max(0, fromUid - 1); i < scanned.size(); i++) {
            Scanned s = scanned.get(i);
            infos.add(new MessageInfo(i + 1L, s.length(), s.date(), s.flags(), s.identity(), 0, s.sender()));
        }
        return infos;
    }

    @Override
    public long[] uids() throws BackupException {
        scan();
        long[] uids = new long[scanned.size()];
        for (int i = 0; i < uids.length; i++) {
            uids[i] = i + 1L;
        }
        return uids;
    }

    @Override
    public Map<Long, Set<String>> flags(long modSeq) throws BackupException {
        scan();
        Map<Long, Set<String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < scanned.size(); i++) {
            flags.put(i + 1L, scanned.get(i).flags());
        }
        return flags;
    }

    @Override
    public Optional<String> sha256(long uid) {
        return scanned == null || uid < 1 || uid > scanned.size() ? Optional.empty()
                : Optional.of(scanned.get((int) uid - 1).sha256());
    }

    @Override
    public InputStream openMessage(long uid) throws BackupException {
        scan();
        MboxReader reader = null;
        try {
            reader = MboxReader.open(file, detected, maxExpansion);
            MboxEntry e = reader.next();
            for (long i = 1; e != null && i < uid; i++) {
                e = reader.next();
            }
            if (e == null) {
                throw new IntegrityException(file, 0, -1, "the file changed during the import (message " + uid
                        + " is gone)");
            }
            MboxReader open = reader;
            return new FilterInputStream(e.content()) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        open.close();
                    }
                }
            };
        } catch (IOException e) {
            closeQuietly(reader, e);
            throw named(e);
        }
    }

    /** Pass 2: hands over the bytes of the messages asked for, checking that the file did not change. */
    @Override
    public void fetchMessages(List<MessageInfo> messages, MessageSink sink) throws BackupException {
        scan();
        Set<Long> wanted = new HashSet<>();
        messages.forEach(m -> wanted.add(m.uid()));
        try (MboxReader reader = MboxReader.open(file, detected, maxExpansion)) {
            long uid = 0;
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                uid++;
                if (uid > scanned.size()) {
                    throw new IntegrityException(file, e.offset(), -1, "the file changed during the import");
                }
                if (wanted.contains(uid)) {
                    hand(uid, e, sink);
                }
            }
            if (uid != scanned.size()) {
                throw new IntegrityException(file, 0, -1, "the file changed during the import");
            }
        } catch (IOException e) {
            throw named(e);
        }
    }

    private void hand(long uid, MboxEntry e, MessageSink sink) throws IOException {
        Scanned s = scanned.get((int) uid - 1);
        HashingInputStream in = new HashingInputStream(e.content());
        try (in) {
            sink.message(uid, in);
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (in.count() != s.length() || !in.hex().equals(s.sha256())) {
            throw new IntegrityException(file, e.offset(), -1, "the file changed during the import (message "
                    + uid + ")");
        }
    }

    /** Pass 1: identity, length, SHA-256, flags and date of every message; nothing is written. */
    private void scan() throws BackupException {
        if (scanned != null) {
            return;
        }
        if (!Files.exists(file)) {
            throw new BackupException("no such file: " + file, null);
        }
        List<Scanned> found = new ArrayList<>();
        try (MboxReader reader = MboxReader.open(file, dialect, maxExpansion)) {
            Instant fallbackDate = Files.getLastModifiedTime(file).toInstant();
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                if (stopped.getAsBoolean()) {
                    throw new CancelledException();
                }
                found.add(scan(e, fallbackDate));
            }
            warnings = reader.warnings();
            detected = reader.dialect();
        } catch (DecompressionBombException e) {
            throw e;
        } catch (MalformedMboxException e) {
            throw damaged(e, found.size());
        } catch (IOException e) {
            throw named(e);
        }
        scanned = found;
    }

    private Scanned scan(MboxEntry e, Instant fallbackDate) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(e.content(), STATUS_SNIFF);
        Set<String> flags = StatusFlags.sniff(buffered, STATUS_SNIFF);
        Instant date = e.date().isPresent() ? e.date().get() : headerDate(buffered).orElse(fallbackDate);
        HashingInputStream in = new HashingInputStream(buffered);
        MessageIdentity id;
        try (in) {
            id = extractor.identify(in);
            in.transferTo(OutputStream.nullOutputStream());
        }
        String sender = e.sender() == null || e.sender().equals("-") ? null : e.sender();
        return new Scanned(id, in.count(), in.hex(), flags.isEmpty() ? Set.of() : flags, date, sender);
    }

    /** The message's {@code Date:} header, for a From_ line without a usable date. */
    private static Optional<Instant> headerDate(BufferedInputStream in) throws IOException {
        String date = HeaderFields.sniff(in, STATUS_SNIFF, DATE).get("date");
        return date == null ? Optional.empty() : MboxReader.parseDate(date);
    }

    /**
     * A file that cannot be read to its end: nothing of it is imported (what a damaged compressed
     * block gives may already be wrong before the codec notices), and the report says so.
     */
    private BackupException damaged(MalformedMboxException e, int readBefore) {
        String compressed = e.getMessage() != null && e.getMessage().contains("compressed") ? " To import the"
                + " messages before the damage, decompress the file with its codec's own tool (which writes what it"
                + " can read) and import that file." : "";
        return new MalformedMboxException(e.file().orElse(file), e.offset().orElse(0),
                e.detail() + ". Nothing of " + file + " was imported" + (readBefore == 0 ? "" : " (" + readBefore
                        + (readBefore == 1 ? " message was" : " messages were") + " read before it)") + "."
                        + compressed, e);
    }

    /** A failure that names the file (once). */
    private BackupException named(IOException e) {
        if (e instanceof CancelledException c) {
            return c;
        }
        if (e instanceof BackupException b) {
            String m = String.valueOf(b.getMessage());
            return m.contains(file.toString()) ? b : new BackupException(file + ": " + m, b);
        }
        return new BackupException("cannot import " + file + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(MboxReader reader, IOException failure) {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public void close() {
        // every pass closes its own reader
    }

    /** What the first pass learned about one message. */
    private record Scanned(MessageIdentity identity, long length, String sha256, Set<String> flags, Instant date,
            String sender) { }
}
