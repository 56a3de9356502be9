package io.github.imapbackup.mbox;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps folder names to file names in a backup directory (docs/FORMAT.md), and back.
 *
 * <p>The folder name is split at the server's hierarchy delimiter ({@link FolderInfo#delimiter()};
 * an empty delimiter means no split). Each segment is percent-encoded ({@code %XX}, uppercase hex of
 * the UTF-8 bytes): control characters U+0000–U+001F and U+007F, the characters
 * {@code / \ : * ? " < > | %}, a {@code .} at the start of a segment, a space or {@code .} at its
 * end, and in the {@link Layout#FLAT flat} layout every {@code .}. An empty segment becomes a lone
 * {@code %}. Segments are joined by {@code /} (nested) or {@code .} (flat), then {@code .mbox} and
 * the codec's suffix are added: {@code Archive/2019/Q3.mbox.gz}.
 *
 * <p>Because {@code /}, {@code \}, NUL and a leading {@code .} are always encoded, no encoded name
 * can climb out of the backup directory; {@link #resolve(Path, String)} checks that once more.
 *
 * <p><b>Long names.</b> File systems limit one name to 255 bytes. An encoded path component (a
 * directory, or the file name without {@code .mbox}) longer than {@value #MAX_COMPONENT_BYTES}
 * UTF-8 bytes is shortened deterministically: its longest prefix of at most
 * {@value #MAX_COMPONENT_BYTES} − 18 bytes that does not split a character or a {@code %XX}
 * escape, then {@code %~}, then the first 16 lowercase hex digits of the SHA-256 of the whole
 * encoded component. {@code %~} never occurs in an unshortened name, so a shortened name never
 * equals another folder's name; the exact folder name is kept in the folder's index. The
 * {@value #MAX_COMPONENT_BYTES} bytes leave room for the longest suffix, {@code .mbox.index}.
 *
 * <pre>{@code
 * FolderInfo q3 = new FolderInfo("Archive/2019/Q3", "/", Set.of(), true);
 * String file = FolderPaths.mboxName(q3, Layout.NESTED, Codecs.GZIP); // Archive/2019/Q3.mbox.gz
 * }</pre>
 */
final class FolderPaths {

    /** The suffix of every mbox file, before the codec's suffix. */
    static final String MBOX_SUFFIX = ".mbox";
    /** The suffix added to the uncompressed mbox name to name the folder index: {@code Q3.mbox.index}. */
    static final String INDEX_SUFFIX = ".index";
    /** The longest encoded path component, in UTF-8 bytes, before it is shortened. */
    static final int MAX_COMPONENT_BYTES = 244;

    private static final String SPECIAL = "/\\:*?\"<>|%";
    private static final String SHORTENED_MARK = "%~";
    private static final int HASH_HEX = 16;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FolderPaths() { }

    /**
     * Splits a folder name at its hierarchy delimiter.
     *
     * @param name the full folder name
     * @param delimiter the delimiter, or the empty string for none
     * @return the segments (at least one; empty segments are kept)
     */
    static List<String> split(String name, String delimiter) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delimiter, "delimiter");
        List<String> out = new ArrayList<>();
        if (delimiter.isEmpty()) {
            out.add(name);
            return out;
        }
        int start = 0;
        int at;
        while ((at = name.indexOf(delimiter, start)) >= 0) {
            out.add(name.substring(start, at));
            start = at + delimiter.length();
        }
        out.add(name.substring(start));
        return out;
    }

    /**
     * Percent-encodes one segment of a folder name (without shortening).
     *
     * @param segment the segment
     * @param layout the layout ({@link Layout#FLAT} also encodes every {@code .})
     * @return the encoded segment, never empty
     */
    static String encodeSegment(String segment, Layout layout) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(layout, "layout");
        if (segment.isEmpty()) {
            return "%";
        }
        StringBuilder sb = new StringBuilder(segment.length() + 8);
        int n = segment.length();
        for (int i = 0; i < n; i++) {
            char c = segment.charAt(i);
            boolean first = i == 0;
            boolean last = i == n - 1;
            if (c < 0x20 || c == 0x7f || SPECIAL.indexOf(c) >= 0
                    || c == '.' && (first || last || layout == Layout.FLAT)
                    || c == ' ' && last) {
                appendHex(sb, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(segment.charAt(i + 1))) {
                sb.append(c).append(segment.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                // a lone surrogate has no UTF-8 form: write its generalized (WTF-8) bytes escaped
                appendHex(sb, 0xE0 | c >> 12);
                appendHex(sb, 0x80 | c >> 6 & 0x3F);
                appendHex(sb, 0x80 | c & 0x3F);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Decodes one encoded segment (the inverse of {@link #encodeSegment(String, Layout)}).
     *
     * @param encoded the encoded segment
     * @return the segment, or empty when {@code encoded} is not a valid encoding (for example a
     *     shortened name, or bytes that are not UTF-8)
     */
    static Optional<String> decodeSegment(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.equals("%")) {
            return Optional.of("");
        }
        if (encoded.isEmpty() || encoded.contains(SHORTENED_MARK)) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int hi = hexValue(encoded.charAt(i + 1));
                int lo = hexValue(encoded.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                    b = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns the relative name of a folder's mbox file without the codec suffix, e.g.
     * {@code Archive/2019/Q3.mbox} (nested) or {@code Archive.2019.Q3.mbox} (flat). Path components
     * are separated by {@code /} on every platform.
     *
     * @param folder the folder
     * @param layout the layout
     * @return the relative name
     */
    static String baseName(FolderInfo folder, Layout layout) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(layout, "layout");
        List<String> segments = split(folder.name(), folder.delimiter());
        StringBuilder sb = new StringBuilder();
        if (layout == Layout.NESTED) {
            for (String s : segments) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(shorten(encodeSegment(s, layout)));
            }
        } else {
            StringBuilder joined = new StringBuilder();
            for (String s : segments) {
                if (joined.length() > 0) {
                    joined.append('.');
                }
                joined.append(encodeSegment(s, layout));
            }
            sb.append(shorten(joined.toString()));
        }
        return sb.append(MBOX_SUFFIX).toString();
    }

    /**
     * Returns the relative name of a folder's mbox file, e.g. {@code Archive/2019/Q3.mbox.gz}.
     *
     * @param folder the folder
     * @param layout the layout
     * @param codec the compression codec (its suffix is added)
     * @return the relative name
     */
    static String mboxName(FolderInfo folder, Layout layout, CompressionCodec codec) {
        return baseName(folder, layout) + codec.suffix();
    }

    /**
     * Returns the relative name of a folder's index, e.g. {@code Archive/2019/Q3.mbox.index}; the
     * same for every codec.
     *
     * @param folder the folder
     * @param layout the layout
     * @return the relative name
     */
    static String indexName(FolderInfo folder, Layout layout) {
        return baseName(folder, layout) + INDEX_SUFFIX;
    }

    /**
     * Returns the folder name segments a relative mbox (or index) file name stands for: the inverse
     * of {@link #mboxName(FolderInfo, Layout, CompressionCodec)}.
     *
     * @param relativeFile the relative name, components separated by {@code /}
     * @param layout the layout it was written in
     * @return the segments, or empty when the name is not one this class writes or was shortened
     */
    static Optional<List<String>> segments(String relativeFile, Layout layout) {
        Objects.requireNonNull(relativeFile, "relativeFile");
        Objects.requireNonNull(layout, "layout");
        String s = relativeFile;
        if (s.endsWith(INDEX_SUFFIX)) {
            s = s.substring(0, s.length() - INDEX_SUFFIX.length());
        } else {
            int at = s.lastIndexOf(MBOX_SUFFIX);
            if (at >= 0) {
                String rest = s.substring(at + MBOX_SUFFIX.length());
                boolean codecSuffix = rest.isEmpty() || io.github.imapbackup.mbox.codec.Codecs.all()
                        .stream().anyMatch(c -> !c.suffix().isEmpty() && c.suffix().equals(rest));
                if (codecSuffix) {
                    s = s.substring(0, at + MBOX_SUFFIX.length());
                }
            }
        }
        if (!s.endsWith(MBOX_SUFFIX)) {
            return Optional.empty();
        }
        s = s.substring(0, s.length() - MBOX_SUFFIX.length());
        if (layout == Layout.FLAT && s.indexOf('/') >= 0) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (String part : split(s, layout == Layout.NESTED ? "/" : ".")) {
            Optional<String> d = decodeSegment(part);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            out.add(d.get());
        }
        return Optional.of(out);
    }

    /**
     * Resolves a relative name inside the backup directory, refusing anything that would land
     * outside it (absolute names, {@code ..} components, a drive letter).
     *
     * @param root the backup directory
     * @param relative a relative name with {@code /} separators
     * @return the path inside {@code root}
     * @throws IllegalArgumentException if the name leaves {@code root}
     */
    static Path resolve(Path root, String relative) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(relative, "relative");
        if (relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.startsWith("/")
                || relative.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("not a safe relative file name: " + relative);
        }
        Path base = root.toAbsolutePath().normalize();
        Path p = base;
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("not a safe relative file name: " + relative);
            }
            Path next = p.resolve(part);
            if (next.isAbsolute() && !next.startsWith(base) || next.getNameCount() != p.getNameCount() + 1) {
                throw new IllegalArgumentException("not a safe relative file name: " + relative);
            }
            p = next;
        }
        if (!p.normalize().startsWith(base)) {
            throw new IllegalArgumentException("not a safe relative file name: " + relative);
        }
        return p;
    }

    /** Shortens an encoded component longer than {@link #MAX_COMPONENT_BYTES} (see class comment). */
    static String shorten(String encoded) {
        byte[] utf8 = encoded.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_COMPONENT_BYTES) {
            return encoded;
        }
        int budget = MAX_COMPONENT_BYTES - SHORTENED_MARK.length() - HASH_HEX;
        int bytes = 0;
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            int chars;
            int cost;
            if (c == '%' && i + 2 < encoded.length() && hexValue(encoded.charAt(i + 1)) >= 0) {
                chars = 3;
                cost = 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                chars = 2;
                cost = 4;
            } else {
                chars = 1;
                cost = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
            if (bytes + cost > budget) {
                break;
            }
            bytes += cost;
            i += chars;
        }
        String prefix = encoded.substring(0, i);
        return prefix + SHORTENED_MARK + sha256Hex(utf8).substring(0, HASH_HEX);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void appendHex(StringBuilder sb, int b) {
        sb.append('%').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
