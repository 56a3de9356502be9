package io.github.imapbackup.accounts.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tells the original script's {@code config.json} from this program's format by their keys: a key
 * only the original has ({@code total_processes}, an account's {@code ssl}, …) makes it the
 * original's; one only this program's has makes it ours; both is a mistake.
 */
public final class Formats {

    private static final List<String> ORIGINAL_TOP = List.of("total_processes", "processes_per_account",
            "success_url", "ignore_mailboxes", "header_batch_size", "email_batch_size", "oauth2_cache");
    private static final List<String> ORIGINAL_ACCOUNT = List.of("username", "ssl", "keyfile", "certfile",
            "processes_per_account", "ignore_mailboxes");

    private Formats() { }

    /** Where a key that tells the format stands: its path and line. */
    record Sign(String key, int line) {

        @Override
        public String toString() {
            return key + " (line " + line + ")";
        }
    }

    /**
     * Which format a file is in.
     *
     * @param root the file's top map
     * @param cx the file's context; a file with keys of both formats is reported there
     * @return true for the original script's
     */
    public static boolean isOriginal(Node.MapNode root, Context cx) {
        List<Sign> original = new ArrayList<>();
        List<Sign> ours = new ArrayList<>();
        collect(root, "", ORIGINAL_TOP, NativeFormat.TOP, original, ours);
        boolean scalarPassword = false;
        if (root.entries().get("accounts") instanceof Node.ListNode l) {
            for (int i = 0; i < l.items().size(); i++) {
                if (l.items().get(i) instanceof Node.MapNode a) {
                    String p = "accounts[" + i + "]";
                    collect(a, p, ORIGINAL_ACCOUNT, NativeFormat.ACCOUNT, original, ours);
                    Node oauth2 = a.entries().get("oauth2");
                    if (oauth2 instanceof Node.Scalar s && s.type() == Node.Type.STRING) {
                        original.add(new Sign(p + ".oauth2", a.keys().get("oauth2")[0]));
                    }
                    scalarPassword |= a.entries().get("password") instanceof Node.Scalar s
                            && s.type() != Node.Type.NULL;
                }
            }
        }
        if (!original.isEmpty() && !ours.isEmpty()) {
            cx.problems().add(ours.get(0).line(), 0, ours.get(0).key(), "this file mixes the original script's "
                    + "config.json keys (" + original.get(0) + ") with this program's format (" + ours.get(0)
                    + "): write it in one of the two (docs/CONFIG.md maps each original key)");
        }
        return !original.isEmpty() && ours.isEmpty() || original.isEmpty() && ours.isEmpty() && scalarPassword;
    }

    private static void collect(Node.MapNode map, String path, List<String> originalKeys, List<String> allOurs,
            List<Sign> original, List<Sign> ours) {
        for (Map.Entry<String, int[]> k : map.keys().entrySet()) {
            String key = path.isEmpty() ? k.getKey() : path + "." + k.getKey();
            if (originalKeys.contains(k.getKey())) {
                original.add(new Sign(key, k.getValue()[0]));
            } else if (allOurs.contains(k.getKey()) && !SHARED.contains(k.getKey())) {
                ours.add(new Sign(key, k.getValue()[0]));
            }
        }
    }

    /** Keys both formats have. */
    private static final List<String> SHARED = List.of("destination", "timeout", "accounts", "email", "password",
            "host", "port", "oauth2");
}
