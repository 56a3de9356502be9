package io.github.imapbackup.testing;

/** What the original imapbackup.py does to a message before it stores it, for tests that imitate its files. */
public final class OriginalScript {

    private OriginalScript() {
    }

    /** Python's {@code bytes.strip()}: ASCII white space removed at both ends. */
    public static String strip(String s) {
        String ws = " \t\n\r\u000b\u000c";
        int a = 0;
        int b = s.length();
        while (a < b && ws.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && ws.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }
}
