package io.github.imapbackup.examples.demo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Encodes folder names in IMAP's modified UTF-7 (RFC 3501 §5.1.3), as clients send them. */
final class ModifiedUtf7 {

    private ModifiedUtf7() { }

    /**
     * Encodes a name.
     *
     * @param name the decoded name
     * @return the modified UTF-7 form
     */
    static String encode(String name) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                i++;
            } else {
                int j = i;
                while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                    j++;
                }
                byte[] utf16 = name.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
                String b64 = Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ',');
                out.append('&').append(b64).append('-');
                i = j;
            }
        }
        return out.toString();
    }
}
