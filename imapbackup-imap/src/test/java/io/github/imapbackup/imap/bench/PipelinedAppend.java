package io.github.imapbackup.imap.bench;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The raw baseline of {@link RestoreBenchmark}: every message of a backup directory, read through
 * {@link BackupArchive#open(StoredMessage)} (the bytes a restore sends, checked against the index),
 * APPENDed over one plain socket with its flags (never {@code \Recent}) and INTERNALDATE as a
 * non-synchronising literal ({@code {n+}}, LITERAL+), pipelined: a thread reads the tagged answers
 * while the caller writes, at most {@code window} commands unanswered. With {@code batch} above 1,
 * up to that many consecutive messages of a folder go in one command (MULTIAPPEND, RFC 3502). No
 * Angus Mail, no identity matching, nothing but the wire. One use per instance.
 */
final class PipelinedAppend {

    private static final Pattern TAGGED = Pattern.compile("^a(\\d+) (OK|NO|BAD)\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");
    private static final String LAST = "z";

    /**
     * What the baseline did.
     *
     * @param messages messages appended (tagged OK)
     * @param bytes their bytes
     * @param nanos from connecting (before LOGIN) to the last tagged answer
     */
    record Result(long messages, long bytes, long nanos) { }

    private final Map<Long, String> pending = new ConcurrentHashMap<>();
    private final List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Semaphore window;
    private final int windowSize;
    private final int batch;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long tags;
    private volatile IOException readFailure;

    PipelinedAppend(int window, int batch) {
        this.windowSize = window;
        this.batch = batch;
        this.window = new Semaphore(window);
    }

    /**
     * Appends every message of a backup directory into an account (the folders are created).
     *
     * @param backup the backup directory
     * @param host the server
     * @param port its plain IMAP port
     * @param user the user
     * @param password the password
     * @param separator the server's hierarchy delimiter
     * @return what was appended
     * @throws IOException on a failure of the connection, the archive or any APPEND
     */
    Result run(Path backup, String host, int port, String user, String password, char separator)
            throws IOException {
        long t0 = System.nanoTime();
        long bytes = 0;
        long count = 0;
        socket = new Socket();
        try (BackupArchive archive = MboxStore.builder(backup).build().read(); Socket s = socket) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(120_000);
            in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            readLine(); // greeting
            command("LOGIN " + ImapTestClient.quote(user) + " " + ImapTestClient.quote(password));
            if (!command("CAPABILITY").toUpperCase(Locale.ROOT).contains(" LITERAL+")) {
                throw new IOException(host + ":" + port + " does not offer LITERAL+: no non-synchronising literals");
            }
            if (batch > 1 && !command("CAPABILITY").toUpperCase(Locale.ROOT).contains(" MULTIAPPEND")) {
                throw new IOException(host + ":" + port + " does not offer MULTIAPPEND");
            }
            for (FolderInfo f : archive.folders()) {
                String name = target(f, separator);
                if (!name.equalsIgnoreCase("INBOX")) {
                    command("CREATE " + ImapTestClient.quote(name));
                }
            }
            Thread reader = new Thread(this::readAnswers, "baseline-reader");
            reader.start();
            try {
                for (FolderInfo f : archive.folders()) {
                    String name = target(f, separator);
                    List<StoredMessage> list = archive.messages(f).toList();
                    for (int k = 0; k < list.size(); k++) {
                        append(archive, name, list.get(k), k % batch == 0, k % batch == batch - 1 || k == list.size() - 1);
                        bytes += list.get(k).message().length();
                        count++;
                    }
                }
                out.write((LAST + " NOOP\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException | RuntimeException e) {
                socket.close(); // ends the reader
                if (readFailure != null && readFailure != e) {
                    e.addSuppressed(readFailure);
                }
                throw e;
            } finally {
                join(reader);
            }
            if (readFailure != null) {
                throw readFailure;
            }
            long nanos = System.nanoTime() - t0;
            if (!refused.isEmpty()) {
                throw new IOException(refused.size() + " APPENDs refused, e.g.: " + refused.get(0));
            }
            command("LOGOUT");
            return new Result(count, bytes, nanos);
        }
    }

    /**
     * Sends one message of an APPEND: the command's start first (waiting, after a flush, while the
     * window is full), then flags, date and literal, then the command's end last.
     */
    private void append(BackupArchive archive, String folder, StoredMessage m, boolean first, boolean last)
            throws IOException {
        if (first) {
            begin(folder + " #" + m.position());
            out.write((" " + ImapTestClient.quote(folder)).getBytes(StandardCharsets.UTF_8));
        }
        ArchivedMessage a = m.message();
        String flags = a.flags().stream().filter(x -> !x.equalsIgnoreCase("\\Recent")).collect(Collectors.joining(" "));
        out.write((" (" + flags + ") \"" + ImapTestClient.formatDate(a.internalDate()) + "\" {" + a.length() + "+}\r\n")
                .getBytes(StandardCharsets.UTF_8));
        try (InputStream body = archive.open(m)) {
            body.transferTo(out);
        } catch (BackupException e) {
            throw new IOException("cannot read " + folder + " #" + m.position() + " from the backup: "
                    + e.getMessage(), e);
        }
        if (last) {
            out.write('\r');
            out.write('\n');
        }
    }

    /** Starts a pipelined APPEND: waits for room in the window, writes its tag. */
    private void begin(String what) throws IOException {
        if (!window.tryAcquire()) {
            out.flush();
            try {
                window.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
        if (readFailure != null) {
            throw readFailure;
        }
        long tag = ++tags;
        pending.put(tag, what);
        out.write(("a" + tag + " APPEND").getBytes(StandardCharsets.US_ASCII));
    }

    /** The reader thread: counts tagged answers until the final NOOP's, releasing the window. */
    private void readAnswers() {
        try {
            while (true) {
                String line = readLine();
                if (line.startsWith(LAST + " ")) {
                    return;
                }
                Matcher t = TAGGED.matcher(line);
                if (t.matches()) {
                    String what = pending.remove(Long.parseLong(t.group(1)));
                    if (!t.group(2).equalsIgnoreCase("OK")) {
                        refused.add(what + ": " + line);
                    }
                    window.release();
                }
            }
        } catch (IOException e) {
            readFailure = e;
            window.release(windowSize); // never leave the writer waiting
        }
    }

    /** Sends one command synchronously (no pipeline running); returns the untagged lines. */
    private String command(String command) throws IOException {
        String tag = "s" + (++tags);
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder untagged = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line.startsWith(tag + " ")) {
                String rest = line.substring(tag.length() + 1).toUpperCase(Locale.ROOT);
                if (!rest.startsWith("OK") && !(command.startsWith("CREATE ") && rest.contains("ALREADYEXISTS"))) {
                    throw new IOException(command.startsWith("LOGIN") ? "LOGIN refused: " + line
                            : "\"" + command + "\" refused: " + line);
                }
                return untagged.toString();
            }
            untagged.append(line).append('\n');
        }
    }

    /** Reads one response line (a literal in it is skipped). */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int prev = -1;
        for (int b = in.read(); ; prev = b, b = in.read()) {
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (b == '\n' && prev == '\r') {
                String s = new String(line.toByteArray(), 0, line.size() - 1, StandardCharsets.UTF_8);
                Matcher m = LITERAL.matcher(s);
                if (m.find()) {
                    in.skipNBytes(Long.parseLong(m.group(1)));
                    return s + readLine();
                }
                return s;
            }
            line.write(b);
        }
    }

    /** The folder's name on the target: its segments joined with the target's delimiter. */
    static String target(FolderInfo folder, char separator) {
        String name = folder.delimiter().isEmpty() ? folder.name()
                : String.join(String.valueOf(separator), folder.name().split(Pattern.quote(folder.delimiter()), -1));
        if (!name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the baseline sends ASCII folder names only: " + name);
        }
        return name;
    }

    private static void join(Thread reader) throws IOException {
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
