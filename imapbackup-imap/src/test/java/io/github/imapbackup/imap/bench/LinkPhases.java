package io.github.imapbackup.imap.bench;

import io.github.imapbackup.BackupSession;
import io.github.imapbackup.testing.imap.Dovecot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The phases of {@link BackupBenchmark} over one link: the raw reader, the cold {@code java -jar}
 * backup, the warm in-JVM backup, nothing new, 1 % new, mbsync with and without fsync, the
 * compressed backups. Each backup starts from an empty directory; the account is the same on every
 * link (the 1 % appended is expunged again after its run).
 */
final class LinkPhases {

    private final BenchOptions o;
    private final Dovecot dovecot;
    private final BenchmarkAccount account;
    private final Path work;
    private final JarBackup jar;
    private final boolean jarRuns;
    private final List<String> notes;

    /**
     * @param o the options
     * @param dovecot the server, loaded
     * @param account the account loaded into it
     * @param work the work directory
     * @param jar the jar backups
     * @param jarRuns whether the jar can run (else its rows are skipped, said in the notes)
     * @param notes where to say what was skipped
     */
    LinkPhases(BenchOptions o, Dovecot dovecot, BenchmarkAccount account, Path work, JarBackup jar, boolean jarRuns,
            List<String> notes) {
        this.o = o;
        this.dovecot = dovecot;
        this.account = account;
        this.work = work;
        this.jar = jar;
        this.jarRuns = jarRuns;
        this.notes = notes;
    }

    /**
     * Runs the phases over one link.
     *
     * @param link the link
     * @param name the link's name in the rows (with the round, when there are several)
     * @param index a number of its own in the run (of the link and the round), for the names of
     *     directories and files
     * @return the rows
     * @throws Exception on failure
     */
    List<BenchRow> run(BenchOptions.Link link, String name, int index) throws Exception {
        List<BenchRow> rows = new ArrayList<>();
        LinkProxy backupLink = null;
        LinkProxy rawLink = null;
        int backupPort = o.tls() ? dovecot.tlsPort() : dovecot.port();
        int rawPort = dovecot.port();
        if (!link.loopback()) {
            long bytesPerSecond = link.mbit() > 0 ? (long) (link.mbit() * 1e6 / 8) : Long.MAX_VALUE / 4;
            backupLink = new LinkProxy(backupPort, link.rttMs(), bytesPerSecond);
            rawLink = o.tls() ? new LinkProxy(rawPort, link.rttMs(), bytesPerSecond) : backupLink;
            backupPort = backupLink.port();
            rawPort = rawLink.port();
        }
        String host = dovecot.host();
        Path pem = o.tls() ? dovecot.pemCertificate() : null;
        Path backup = work.resolve("backup-" + index);
        for (String left : List.of("backup-" + index, "warm-" + index, "maildir-" + index + "-fsync",
                "maildir-" + index + "-nofsync")) {
            BackupBenchmark.deleteRecursively(work.resolve(left)); // from an earlier run in the same --work
        }
        RawReader raw = new RawReader(host, rawPort, BackupBenchmark.USER, BackupBenchmark.PASSWORD,
                account.folders(dovecot.separator()));
        try {
            if (o.runs("raw")) {
                rows.add(raw(name, "raw reader (1 conn., UID FETCH 1:* BODY.PEEK[])", BenchRow.Kind.RAW,
                        raw.read()));
            }
            clearCommands();
            if (o.runs("cold") && jarRuns) {
                if (backupLink != null) {
                    backupLink.restartTimeline();
                }
                BenchRow cold = logged(jar.run(name, "backup cold (java -jar, as shipped)", BenchRow.Kind.FULL, host,
                        backupPort, backup, null, "cold-" + index), "cold-" + index);
                rows.add(backupLink == null ? cold : withNote(cold, backupLink.timeline()));
            }
            if (o.runs("warm")) {
                rows.add(warm(name, host, backupPort, pem, index));
            }
            if (o.runs("nothing-new") && jarRuns) {
                BackupBenchmark.settle();
                rows.add(logged(jar.run(name, "nothing new (java -jar)", BenchRow.Kind.OTHER, host, backupPort, backup,
                        null, "nothing-new-" + index), "nothing-new-" + index));
            }
            if (o.runs("new") && jarRuns) {
                int n = Math.max(1, o.messages() / 100);
                BenchmarkAccount.Added added = account.appendNew(dovecot, BackupBenchmark.USER, n, ".new" + index);
                BackupBenchmark.settle();
                BenchRow r = logged(jar.run(name, "1 % new (java -jar)", BenchRow.Kind.OTHER, host, backupPort, backup,
                        null, "new-" + index), "new-" + index);
                rows.add(withNote(r, n + " messages appended over " + added.uids().size() + " folders"));
                BenchmarkAccount.remove(dovecot, BackupBenchmark.USER, added);
            }
            BackupBenchmark.deleteRecursively(backup);
            if (o.runs("mbsync")) {
                mbsync(rows, name, host, backupPort, pem, index);
            }
            if (o.runs("codecs") && jarRuns) {
                for (String codec : o.codecs()) {
                    if (!codec.equals("none")) {
                        Path dir = work.resolve("backup-" + index + "-" + codec);
                        BenchRow r = jar.run(name, "backup cold --compress " + codec, BenchRow.Kind.FULL, host,
                                backupPort, dir, codec, codec + "-" + index);
                        rows.add(withNote(r, "stored " + (BackupBenchmark.size(dir) >> 20) + " MiB"));
                        BackupBenchmark.deleteRecursively(dir);
                    }
                }
            }
            if (o.runs("raw-again")) {
                rows.add(raw(name, "raw reader again (noise check)", BenchRow.Kind.FULL, raw.read()));
            }
            if (o.runs("raw-chunked")) {
                rows.add(raw(name, "raw, UID FETCH n BODY.PEEK[]<o.1MiB> per message", BenchRow.Kind.FULL,
                        raw.readPerMessage()));
            }
        } finally {
            if (backupLink != null) {
                backupLink.close();
                rawLink.close();
            }
        }
        return rows;
    }

    private BenchRow raw(String link, String run, BenchRow.Kind kind, RawReader.Result r) {
        return new BenchRow(link, run, kind, r.nanos() / 1e9, r.bytes(), o.messages(), r.cpuNanos() / 1e9, -1,
                "in the benchmark's warm JVM; CPU of the reading thread; bytes discarded");
    }

    private BenchRow warm(String link, String host, int port, Path pem, int index) throws Exception {
        Path dir = work.resolve("warm-" + index);
        int connections = o.connections() != null ? o.connections() : BackupSession.DEFAULT_CONNECTIONS;
        clearCommands();
        WarmChild.Result w = WarmChild.run(host, port, pem, BackupBenchmark.USER, BackupBenchmark.PASSWORD, dir,
                o.xmx(), connections, 1, work, "warm-" + index);
        saveCommands("warm-" + index);
        BackupBenchmark.deleteRecursively(dir);
        return new BenchRow(link, "backup warm (in-JVM: 2nd run in one JVM, -Xmx" + o.xmx() + ")", BenchRow.Kind.FULL,
                w.runSeconds(), w.bytes(), w.copied(), w.cpuSeconds(), w.hwmKb(), String.format(Locale.ROOT,
                        "exit %d; seconds and CPU of run() only; library from the class path, not the jar",
                        w.exit()));
    }

    private void mbsync(List<BenchRow> rows, String link, String host, int port, Path pem, int index)
            throws IOException {
        MbsyncRun mbsync = new MbsyncRun(o.mbsync());
        if (!mbsync.installed()) {
            notes.add("mbsync: not installed (apt-get install isync)");
            return;
        }
        Path fsync = work.resolve("maildir-" + index + "-fsync");
        Path nofsync = work.resolve("maildir-" + index + "-nofsync");
        MbsyncRun.Result a = mbsync.run(host, port, pem, BackupBenchmark.USER, BackupBenchmark.PASSWORD, fsync, true,
                work, "fsync-" + index);
        rows.add(mbsyncRow(link, "mbsync into Maildir (default: fsync)", BenchRow.Kind.MBSYNC_FSYNC, a, a.bytes(),
                a.messages()));
        BackupBenchmark.deleteRecursively(fsync);
        MbsyncRun.Result b = mbsync.run(host, port, pem, BackupBenchmark.USER, BackupBenchmark.PASSWORD, nofsync,
                false, work, "nofsync-" + index);
        rows.add(mbsyncRow(link, "mbsync into Maildir, FSync no", BenchRow.Kind.MBSYNC_NOFSYNC, b, b.bytes(),
                b.messages()));
        MbsyncRun.Result c = mbsync.run(host, port, pem, BackupBenchmark.USER, BackupBenchmark.PASSWORD, nofsync,
                false, work, "nofsync-again-" + index);
        rows.add(mbsyncRow(link, "mbsync nothing new, FSync no", BenchRow.Kind.OTHER, c, c.bytes() - b.bytes(),
                c.messages() - b.messages()));
        BackupBenchmark.deleteRecursively(nofsync);
    }

    private static BenchRow mbsyncRow(String link, String run, BenchRow.Kind kind, MbsyncRun.Result r, long bytes,
            long messages) {
        return new BenchRow(link, run, kind, r.timed().wallSeconds(), bytes, messages, r.timed().cpuSeconds(),
                r.timed().totalRssKb(), "exit " + r.timed().exit());
    }

    private static BenchRow withNote(BenchRow r, String note) {
        return new BenchRow(r.link(), r.run(), r.kind(), r.seconds(), r.bytes(), r.messages(), r.cpuSeconds(),
                r.rssKb(), r.notes() + "; " + note);
    }

    private BenchRow logged(BenchRow row, String label) throws IOException {
        saveCommands(label);
        clearCommands();
        return row;
    }

    private void clearCommands() throws IOException {
        if (o.rawlog()) {
            dovecot.clearClientCommands(BackupBenchmark.USER);
        }
    }

    private void saveCommands(String label) throws IOException {
        if (o.rawlog()) {
            Path log = work.resolve("commands-" + label + ".txt");
            Files.write(log, dovecot.clientCommands(BackupBenchmark.USER));
            System.err.println("... IMAP commands of run '" + label + "': " + log);
        }
    }
}
