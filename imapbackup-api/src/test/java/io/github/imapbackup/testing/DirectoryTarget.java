package io.github.imapbackup.testing;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageRejectedException;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A target that behaves like an IMAP account, over real files: one directory per folder, one
 * {@code N.eml} file per message (its exact bytes) beside {@code N.meta} (INTERNALDATE, flags).
 * Like a server it cannot tell the SHA-256 of what it holds (entries have none), numbers messages
 * with UIDs, keeps only the flags its PERMANENTFLAGS allow, refuses messages above a size limit
 * ({@link MessageRejectedException}, the folder stays usable), and may pipeline its appends: then
 * an append returns at once (UID 0, no SHA-256) and a refusal reaches the rejection handler at the
 * next commit. Thread-safe: folders may be opened from several threads.
 *
 * <pre>{@code
 * DirectoryTarget account = new DirectoryTarget(dir).permanentFlags("\\Seen").refuseLargerThan(1000);
 * RestoreSession.builder().source(backup.asSource()).target(account).build().run();
 * assertThat(account.messages("INBOX")).hasSize(3);
 * }</pre>
 */
public final class DirectoryTarget implements MessageTarget {

    private final Path root;
    private volatile Set<String> permanentFlags;
    private volatile long sizeLimit = Long.MAX_VALUE;
    private volatile boolean pipelined;
    private volatile boolean crlfSizes;
    private volatile boolean endsWithLineEnd;
    private final AtomicInteger appends = new AtomicInteger();

    /**
     * Creates the target.
     *
     * @param root the directory holding the folders (created when needed)
     */
    public DirectoryTarget(Path root) {
        this.root = root;
    }

    /**
     * Keeps only these flags (and keywords when {@code \*} is among them), as PERMANENTFLAGS.
     *
     * @param flags the flags; none given means none kept
     * @return this target
     */
    public DirectoryTarget permanentFlags(String... flags) {
        Set<String> lower = new HashSet<>();
        Arrays.stream(flags).forEach(f -> lower.add(f.toLowerCase(Locale.ROOT)));
        this.permanentFlags = Set.copyOf(lower);
        return this;
    }

    /**
     * Refuses messages of more bytes than this.
     *
     * @param bytes the limit
     * @return this target
     */
    public DirectoryTarget refuseLargerThan(long bytes) {
        this.sizeLimit = bytes;
        return this;
    }

    /**
     * Returns from each append before the message is "confirmed": a refusal is reported to the
     * rejection handler at the next commit.
     *
     * @param on whether to pipeline
     * @return this target
     */
    public DirectoryTarget pipelined(boolean on) {
        this.pipelined = on;
        return this;
    }

    /**
     * Reports RFC822.SIZE as IMAP servers do for messages stored with bare line feeds (Dovecot):
     * counting each line end as CRLF.
     *
     * @param on whether to
     * @return this target
     */
    public DirectoryTarget crlfSizes(boolean on) {
        this.crlfSizes = on;
        return this;
    }

    /**
     * Reports RFC822.SIZE as servers do that end every message with a line end (Dovecot's mbox
     * storage): a CRLF more for a message whose bytes do not end with one.
     *
     * @param on whether to
     * @return this target
     */
    public DirectoryTarget endsWithLineEnd(boolean on) {
        this.endsWithLineEnd = on;
        return this;
    }

    /** {@return how many appends were made (refused ones included)} */
    public int appends() {
        return appends.get();
    }

    /** {@return the names of the folders that exist, sorted} */
    public List<String> folderNames() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> java.net.URLDecoder.decode(d.getFileName().toString(), StandardCharsets.UTF_8))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns what a folder holds, in UID order (empty when it does not exist).
     *
     * @param folder the folder name
     * @return the messages; SHA-256 null as a server gives them
     */
    public List<ArchivedMessage> messages(String folder) {
        return new Folder(dir(folder), MessageIdExtractor.standard(), true).messages();
    }

    /**
     * Returns the bytes of a message.
     *
     * @param folder the folder name
     * @param message one of {@link #messages(String)}
     * @return its bytes
     */
    public byte[] content(String folder, ArchivedMessage message) {
        try {
            return Files.readAllBytes(dir(folder).resolve(message.uid() + ".eml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path dir(String folder) {
        return root.resolve(URLEncoder.encode(folder, StandardCharsets.UTF_8));
    }

    @Override
    public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        try {
            Files.createDirectories(dir(folder.name()));
        } catch (IOException e) {
            throw new BackupException("cannot create folder " + folder.name() + ": " + e, e);
        }
        return new Folder(dir(folder.name()), extractor, false);
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) {
        return new Folder(dir(folder.name()), extractor, true);
    }

    @Override
    public String location(FolderInfo folder) {
        return folder.name();
    }

    /** Lists the folders as an account with the delimiter {@code /} would. */
    @Override
    public List<FolderInfo> folders() {
        return folderNames().stream().map(n -> new FolderInfo(n, "/", Set.of(), true)).toList();
    }

    /** Deletes a folder with what it holds. */
    @Override
    public void deleteFolder(FolderInfo folder) throws BackupException {
        Path d = dir(folder.name());
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(d);
        } catch (IOException e) {
            throw new BackupException("cannot delete folder " + folder.name() + ": " + e, e);
        }
    }

    @Override
    public String describe() {
        return "test account " + root;
    }

    /** One folder; appends go to files at once, refusals of a pipelined append wait for the commit. */
    private final class Folder implements TargetFolder {

        private final Path dir;
        private final MessageIdExtractor extractor;
        private final boolean readOnly;
        private BiConsumer<NewMessage, BackupException> handler = (m, e) -> { };
        private final Map<NewMessage, String> refusedLater = new LinkedHashMap<>();

        Folder(Path dir, MessageIdExtractor extractor, boolean readOnly) {
            this.dir = dir;
            this.extractor = extractor;
            this.readOnly = readOnly;
        }

        @Override
        public List<ArchivedMessage> messages() {
            List<ArchivedMessage> out = new ArrayList<>();
            for (long uid = 1; Files.exists(dir.resolve(uid + ".meta")); uid++) {
                out.add(read(uid));
            }
            return out;
        }

        private ArchivedMessage read(long uid) {
            try (InputStream in = Files.newInputStream(dir.resolve(uid + ".eml"))) {
                List<String> meta = Files.readAllLines(dir.resolve(uid + ".meta"));
                byte[] bytes = Files.readAllBytes(dir.resolve(uid + ".eml"));
                long size = (crlfSizes ? crlfSize(bytes) : bytes.length)
                        + (endsWithLineEnd && (bytes.length == 0 || bytes[bytes.length - 1] != '\n') ? 2 : 0);
                Set<String> flags = meta.size() > 1 && !meta.get(1).isEmpty() ? Set.of(meta.get(1).split(" ")) : Set.of();
                // a server tells RFC822.SIZE only: the length it gives is that too
                return new ArchivedMessage(1, uid, extractor.identify(in), 0, size, null, size,
                        Instant.parse(meta.get(0)), flags, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long crlfSize(byte[] b) {
            long size = b.length;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                    size++;
                }
            }
            return size;
        }

        private long nextUid() {
            long uid = 1;
            while (Files.exists(dir.resolve(uid + ".meta"))) {
                uid++;
            }
            return uid;
        }

        @Override
        public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
            if (readOnly) {
                throw new IllegalStateException("opened read-only");
            }
            appends.incrementAndGet();
            long uid = nextUid();
            Path eml = dir.resolve(uid + ".eml");
            long length;
            try (OutputStream out = Files.newOutputStream(eml)) {
                length = content.transferTo(out);
            } catch (IOException e) {
                delete(eml);
                throw new BackupException("append failed: " + e.getMessage(), e);
            }
            String why = length > sizeLimit ? "[TOOBIG] Message too large (" + length + " bytes)" : null;
            if (why != null && !pipelined) {
                delete(eml);
                throw new MessageRejectedException(why);
            }
            Set<String> kept = kept(message.flags());
            try {
                Files.writeString(dir.resolve(uid + ".meta"), message.internalDate() + "\n" + String.join(" ", kept)
                        + "\n");
            } catch (IOException e) {
                throw new BackupException("append failed: " + e.getMessage(), e);
            }
            if (why != null) {
                refusedLater.put(message, why);
            }
            ArchivedMessage stored = read(uid);
            return pipelined ? new ArchivedMessage(0, 0, stored.identity(), 0, length, null, length,
                    stored.internalDate(), kept, false) : stored;
        }

        private Set<String> kept(Set<String> flags) {
            Set<String> allowed = permanentFlags;
            Set<String> kept = new HashSet<>();
            for (String f : flags) {
                String lower = f.toLowerCase(Locale.ROOT);
                if (lower.equals("\\recent")) {
                    throw new IllegalArgumentException("\\Recent cannot be stored: " + flags);
                }
                if (allowed == null || allowed.contains(lower) || !f.startsWith("\\") && allowed.contains("\\*")) {
                    kept.add(f);
                }
            }
            return kept;
        }

        @Override
        public void onRejected(BiConsumer<NewMessage, BackupException> handler) {
            this.handler = handler;
        }

        @Override
        public void commit() {
            // the server answers the pipelined appends: the refused ones are removed and reported
            for (Map.Entry<NewMessage, String> r : refusedLater.entrySet()) {
                for (ArchivedMessage m : messages()) {
                    if (m.identity().equals(r.getKey().identity()) && m.length() > sizeLimit) {
                        removeLast(m.uid());
                        break;
                    }
                }
                handler.accept(r.getKey(), new MessageRejectedException(r.getValue()));
            }
            refusedLater.clear();
        }

        /** Removes a refused message, renumbering the last one into its place (UIDs stay dense). */
        private void removeLast(long uid) {
            long last = nextUid() - 1;
            try {
                if (last != uid) {
                    Files.move(dir.resolve(last + ".eml"), dir.resolve(uid + ".eml"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(dir.resolve(last + ".meta"), dir.resolve(uid + ".meta"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.delete(dir.resolve(uid + ".eml"));
                    Files.delete(dir.resolve(uid + ".meta"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Expunges exactly these messages (the highest UID first: the last message takes each one's place). */
        @Override
        public long delete(List<ArchivedMessage> messages) {
            if (readOnly) {
                throw new IllegalStateException("read-only");
            }
            messages.stream().mapToLong(ArchivedMessage::uid).sorted().distinct().boxed()
                    .sorted(java.util.Comparator.reverseOrder()).forEach(this::removeLast);
            return messages.size();
        }

        private void delete(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public InputStream openMessage(ArchivedMessage message) throws BackupException {
            try {
                return Files.newInputStream(dir.resolve(message.uid() + ".eml"));
            } catch (IOException e) {
                throw new BackupException("cannot read UID " + message.uid() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (!readOnly) {
                commit();
            }
        }
    }
}
