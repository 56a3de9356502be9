package io.github.imapbackup.examples.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forms in which a secret could leak, searched for in bytes: the secret itself, URL-encoded
 * (a token request's form), and base64 at each of the three alignments a longer base64 text may
 * give it (so that a SASL PLAIN or XOAUTH2 initial response, which holds the secret after the user
 * name, is found whatever precedes it), in the standard and the URL-safe alphabet.
 */
final class SecretNeedles {

    /** One form of one secret. */
    record Needle(String secret, String form, byte[] bytes) { }

    /** Where a needle was found. */
    record Hit(String where, long offset, String secret, String form) {
        @Override
        public String toString() {
            return secret + " (" + form + ") in " + where + " at byte " + offset;
        }
    }

    private final List<Needle> needles = new ArrayList<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();

    /**
     * Adds a secret to look for.
     *
     * @param label what it is, for messages ({@code "alice's password"})
     * @param secret the secret: at least 12 characters, so that its base64 cores are long enough
     *     to mean it and nothing else
     * @return this
     */
    SecretNeedles add(String label, String secret) {
        if (secret.length() < 12) {
            throw new IllegalArgumentException("a canary secret needs at least 12 characters");
        }
        secrets.put(label, secret);
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        needles.add(new Needle(label, "as it is", raw));
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!url.equals(secret)) {
            needles.add(new Needle(label, "URL-encoded", url.getBytes(StandardCharsets.US_ASCII)));
        }
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + raw.length];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // the characters that depend on the secret's bytes alone: after the shift's, before the last partial one
            int from = shift == 0 ? 0 : shift == 1 ? 2 : 3;
            int to = ((shift + raw.length) / 3) * 4;
            String core = b64.substring(from, Math.max(from, to));
            needles.add(new Needle(label, "base64, offset " + shift, core.getBytes(StandardCharsets.US_ASCII)));
            String urlSafe = core.replace('+', '-').replace('/', '_');
            if (!urlSafe.equals(core)) {
                needles.add(new Needle(label, "base64url, offset " + shift, urlSafe.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return this;
    }

    /** {@return the secrets, by label} */
    Map<String, String> secrets() {
        return Map.copyOf(secrets);
    }

    /** {@return how many forms are searched for} */
    int size() {
        return needles.size();
    }

    /**
     * Searches bytes for every form of every secret.
     *
     * @param where what the bytes are, for the hits
     * @param data the bytes
     * @return the hits, empty when none
     */
    List<Hit> scan(String where, byte[] data) {
        List<Hit> hits = new ArrayList<>();
        for (Needle n : needles) {
            long at = indexOf(data, n.bytes());
            if (at >= 0) {
                hits.add(new Hit(where, at, n.secret(), n.form()));
            }
        }
        return hits;
    }

    private static long indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
