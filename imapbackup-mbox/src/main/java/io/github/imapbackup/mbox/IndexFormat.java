package io.github.imapbackup.mbox;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.internal.UtcTimes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;

/** Writes and parses the lines of a folder index: fields separated by spaces, a CRC32 last. */
final class IndexFormat {

    static final int VERSION = 3;
    /**
     * The oldest version this program reads (version 1 has no times and no special-use attributes,
     * version 2 no labels).
     */
    static final int OLDEST_VERSION = 1;
    static final String MAGIC = "imapbackup-index";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private IndexFormat() { }

    /** Returns the complete line of a record in the current version. */
    static byte[] line(IndexRecord r) {
        return line(r, VERSION);
    }

    /**
     * Returns the complete line of a record: its fields, a space, 8 hex digits of CRC32, LF; in
     * an older {@code version} without the fields later versions added (for records appended to an
     * older index before it is rewritten).
     */
    static byte[] line(IndexRecord r, int version) {
        StringBuilder sb = new StringBuilder(200);
        if (r instanceof IndexRecord.Header h) {
            sb.append("H ").append(MAGIC).append(' ').append(h.version()).append(' ')
                    .append(text(h.codec())).append(' ').append(text(h.delimiter())).append(' ')
                    .append(text(h.name()));
            if (h.version() >= 2) {
                sb.append(' ').append(time(h.since())).append(' ').append(flags(h.specialUse()));
            }
        } else if (r instanceof IndexRecord.Message m) {
            IndexEntry e = m.entry();
            sb.append("M ").append(e.uidValidity).append(' ').append(e.uid).append(' ')
                    .append(e.offset).append(' ').append(e.end).append(' ').append(e.length)
                    .append(' ').append(e.sha256).append(' ').append(e.size).append(' ')
                    .append(UtcTimes.iso(e.internalDate)).append(' ')
                    .append(newline(e.newline)).append(' ')
                    .append(e.memberStart < 0 ? "-" : Long.toString(e.memberStart)).append(' ')
                    .append(e.memberUncompressedStart < 0 ? "-" : Long.toString(e.memberUncompressedStart))
                    .append(' ').append(flags(e.flags)).append(' ').append(text(e.identity.value()))
                    .append(version >= 2 ? " " + time(e.archivedAt) : "")
                    .append(version >= 3 ? " " + flags(e.labels) : "");
        } else if (r instanceof IndexRecord.Flags f) {
            sb.append("F ").append(f.offset()).append(' ').append(flags(f.flags()));
        } else if (r instanceof IndexRecord.Labels l) {
            if (version < 3) {
                throw new IllegalArgumentException("labels need index version 3: " + r);
            }
            sb.append("L ").append(l.offset()).append(' ').append(flags(l.labels()));
        } else if (r instanceof IndexRecord.Expunged x) {
            sb.append("X ").append(x.offset()).append(version >= 2 ? " " + time(x.time()) : "");
        } else if (r instanceof IndexRecord.Adopt a) {
            sb.append("A ").append(a.offset()).append(' ').append(a.uidValidity()).append(' ')
                    .append(a.uid()).append(' ').append(flags(a.flags()));
        } else if (r instanceof IndexRecord.Exact x) {
            sb.append("E ").append(x.offset()).append(' ').append(newline(x.newline())).append(' ')
                    .append(x.length()).append(' ').append(x.sha256()).append(' ').append(x.size());
        } else if (r instanceof IndexRecord.State s) {
            sb.append("S ").append(s.uidValidity()).append(' ').append(s.uidNext()).append(' ')
                    .append(s.highestModSeq()).append(' ').append(s.messages());
        } else if (r instanceof IndexRecord.Commit c) {
            sb.append("C ").append(c.mboxLength()).append(' ').append(c.uncompressedLength())
                    .append(' ').append(c.messages()).append(' ').append(UtcTimes.iso(c.time()));
        } else {
            throw new IllegalArgumentException("unknown record " + r);
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 10];
        System.arraycopy(body, 0, out, 0, body.length);
        CRC32 crc = new CRC32();
        crc.update(body, 0, body.length);
        long v = crc.getValue();
        out[body.length] = ' ';
        for (int i = 0; i < 8; i++) {
            out[body.length + 1 + i] = HEX[(int) (v >>> (28 - 4 * i)) & 0xF];
        }
        out[body.length + 9] = '\n';
        return out;
    }

    /**
     * Parses one line (without its LF).
     *
     * @return the record, or null when the line is torn or its checksum does not match
     */
    static IndexRecord parse(byte[] buf, int start, int end) {
        int sp = end - 9;
        if (sp <= start + 1 || buf[sp] != ' ') {
            return null;
        }
        long want = 0;
        for (int i = sp + 1; i < end; i++) {
            int d = buf[i] >= 'A' && buf[i] <= 'F' ? -1 : hex(buf[i]);
            if (d < 0) {
                return null;
            }
            want = want << 4 | d;
        }
        CRC32 crc = new CRC32();
        crc.update(buf, start, sp - start);
        if (crc.getValue() != want) {
            return null;
        }
        try {
            return fields(new Fields(buf, start, sp));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code nl}: {@code 0}, {@code 1}, {@code ?} unknown, {@code c} converted. */
    private static String newline(int nl) {
        return nl == IndexEntry.NEWLINE_UNKNOWN ? "?" : nl == IndexEntry.NEWLINE_CONVERTED ? "c" : Integer.toString(nl);
    }

    private static int newline(String nl) {
        switch (nl) {
            case "?":
                return IndexEntry.NEWLINE_UNKNOWN;
            case "c":
                return IndexEntry.NEWLINE_CONVERTED;
            case "0":
                return 0;
            case "1":
                return 1;
            default:
                throw new IllegalArgumentException("nl " + nl);
        }
    }

    private static IndexRecord fields(Fields f) {
        String tag = f.next();
        switch (tag) {
            case "H": {
                if (!f.next().equals(MAGIC)) {
                    return null;
                }
                int version = (int) f.number();
                String codec = f.text();
                String delimiter = f.text();
                String name = f.text();
                Instant since = f.more() ? f.time() : null;
                Set<String> specialUse = f.more() ? f.flags() : Set.of();
                return new IndexRecord.Header(version, codec, delimiter, name, since, specialUse);
            }
            case "M": {
                long uidValidity = f.number();
                long uid = f.number();
                long offset = f.number();
                long end = f.number();
                long length = f.number();
                String sha = f.next();
                if (sha.length() != 64) {
                    return null;
                }
                long size = f.number();
                Instant date = f.instant();
                String nl = f.next();
                int newline = newline(nl);
                long memberStart = f.optionalNumber();
                long memberUStart = f.optionalNumber();
                Set<String> flags = f.flags();
                MessageIdentity id = new MessageIdentity(f.text());
                Instant archivedAt = f.more() ? f.time() : null;
                Set<String> labels = f.more() ? f.flags() : Set.of();
                f.end();
                IndexEntry e = new IndexEntry(uidValidity, uid, id, offset, end,
                        length, sha, size, date, newline, memberStart, memberUStart, flags, false, archivedAt);
                e.labels = labels;
                return new IndexRecord.Message(e);
            }
            case "F": {
                IndexRecord r = new IndexRecord.Flags(f.number(), f.flags());
                f.end();
                return r;
            }
            case "L": {
                IndexRecord r = new IndexRecord.Labels(f.number(), f.flags());
                f.end();
                return r;
            }
            case "X": {
                long offset = f.number();
                IndexRecord r = new IndexRecord.Expunged(offset, f.more() ? f.time() : null);
                f.end();
                return r;
            }
            case "A": {
                IndexRecord r = new IndexRecord.Adopt(f.number(), f.number(), f.number(), f.flags());
                f.end();
                return r;
            }
            case "E": {
                long offset = f.number();
                int newline = newline(f.next());
                long length = f.number();
                String sha = f.next();
                if (sha.length() != 64 || newline == IndexEntry.NEWLINE_UNKNOWN) {
                    return null;
                }
                IndexRecord r = new IndexRecord.Exact(offset, newline, length, sha, f.number());
                f.end();
                return r;
            }
            case "S": {
                IndexRecord r = new IndexRecord.State(f.number(), f.number(), f.number(), f.number());
                f.end();
                return r;
            }
            case "C": {
                IndexRecord r = new IndexRecord.Commit(f.number(), f.number(), f.number(),
                        f.instant());
                f.end();
                return r;
            }
            default:
                return null;
        }
    }

    /** Encodes a string field: see docs/FORMAT-index.md. */
    static String text(String s) {
        if (s.isEmpty()) {
            return "-";
        }
        if (s.equals("-")) {
            return "%2D";
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = null;
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c <= 0x20 || c == 0x7f || c == '%' || c == ',') {
                if (sb == null) {
                    sb = new StringBuilder(b.length + 8);
                    sb.append(new String(b, 0, i, StandardCharsets.UTF_8));
                }
                sb.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 0xF]);
            } else if (sb != null) {
                int j = i;
                while (j < b.length && !special(b[j] & 0xff)) {
                    j++;
                }
                sb.append(new String(b, i, j - i, StandardCharsets.UTF_8));
                i = j - 1;
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static boolean special(int c) {
        return c <= 0x20 || c == 0x7f || c == '%' || c == ',';
    }

    private static String flags(Set<String> flags) {
        if (flags.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (String f : new TreeSet<>(flags)) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.isEmpty() || f.equals("-") ? f.isEmpty() ? "%" : "%2D" : text(f));
        }
        return sb.toString();
    }

    /** A time field: ISO-8601 UTC, or {@code -} when unknown. */
    private static String time(Instant t) {
        return t == null ? "-" : UtcTimes.iso(t);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** A cursor over the space-separated fields of one line. */
    private static final class Fields {
        private final byte[] buf;
        private int pos;
        private final int end;

        Fields(byte[] buf, int start, int end) {
            this.buf = buf;
            this.pos = start;
            this.end = end;
        }

        private int fieldEnd() {
            if (pos >= end) {
                throw new IllegalArgumentException("missing field");
            }
            int e = pos;
            while (e < end && buf[e] != ' ') {
                e++;
            }
            if (e == pos) {
                throw new IllegalArgumentException("empty field");
            }
            return e;
        }

        String next() {
            int e = fieldEnd();
            String s = new String(buf, pos, e - pos, StandardCharsets.ISO_8859_1);
            pos = e + 1;
            return s;
        }

        long number() {
            int e = fieldEnd();
            long v = 0;
            for (int i = pos; i < e; i++) {
                int d = buf[i] - '0';
                if (d < 0 || d > 9 || e - pos > 18) {
                    throw new IllegalArgumentException("not a number");
                }
                v = v * 10 + d;
            }
            pos = e + 1;
            return v;
        }

        long optionalNumber() {
            if (pos < end && buf[pos] == '-' && (pos + 1 == end || buf[pos + 1] == ' ')) {
                pos += 2;
                return -1;
            }
            return number();
        }

        String text() {
            int e = fieldEnd();
            String s = decode(pos, e);
            pos = e + 1;
            return s;
        }

        Set<String> flags() {
            int e = fieldEnd();
            if (e - pos == 1 && buf[pos] == '-') {
                pos = e + 1;
                return Set.of();
            }
            List<String> out = new ArrayList<>(4);
            int s = pos;
            for (int i = pos; i <= e; i++) {
                if (i == e || buf[i] == ',') {
                    out.add(i - s == 1 && buf[s] == '%' ? "" : decode(s, i));
                    s = i + 1;
                }
            }
            pos = e + 1;
            return out.size() == 1 ? Set.of(out.get(0)) : Set.copyOf(new HashSet<>(out));
        }

        /** Whether another field follows (the optional fields that later versions added). */
        boolean more() {
            return pos < end;
        }

        /** A time field, null for {@code -}. */
        Instant time() {
            if (pos + 1 <= end && buf[pos] == '-' && (pos + 1 == end || buf[pos + 1] == ' ')) {
                pos += 2;
                return null;
            }
            return instant();
        }

        /** A time field that must be there. */
        Instant instant() {
            int e = fieldEnd();
            Instant t = UtcTimes.parseIso(buf, pos, e);
            pos = e + 1;
            return t;
        }

        void end() {
            if (pos < end) {
                throw new IllegalArgumentException("extra fields");
            }
        }

        private String decode(int from, int to) {
            if (to - from == 1 && buf[from] == '-') {
                return "";
            }
            boolean plain = true;
            for (int i = from; i < to; i++) {
                if (buf[i] == '%') {
                    plain = false;
                    break;
                }
            }
            if (plain) {
                return new String(buf, from, to - from, StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
            for (int i = from; i < to; i++) {
                if (buf[i] == '%') {
                    int hi = hex(buf[i + 1]);
                    int lo = hex(buf[i + 2]);
                    if (hi < 0 || lo < 0) {
                        throw new IllegalArgumentException("bad escape");
                    }
                    out.write(hi << 4 | lo);
                    i += 2;
                } else {
                    out.write(buf[i]);
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
