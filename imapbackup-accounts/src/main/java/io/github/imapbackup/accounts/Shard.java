package io.github.imapbackup.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * One shard of a fleet of accounts: {@code --shard K/N} backs up only the accounts whose stable
 * hash falls in shard {@code K} of {@code N} ({@code 0 <= K < N}), so several machines or the
 * tasks of a scheduler (a Kubernetes indexed Job, a Slurm array) split the accounts of one
 * configuration between them with no coordination: every account falls in exactly one shard, and
 * always the same one for the same account name and {@code N}.
 *
 * <p>The hash is the first eight bytes of the SHA-256 of the account's name in UTF-8, taken as an
 * unsigned number modulo {@code N}: it depends on nothing but the name, neither on the order of the
 * accounts in the file nor on the machine or the Java version.
 *
 * @param index the shard this run takes, from 0
 * @param count how many shards the fleet is split into, at least 1
 */
public record Shard(int index, int count) {

    /** The whole fleet: one shard of one. */
    public static final Shard ALL = new Shard(0, 1);

    /**
     * A shard.
     *
     * @param index the shard this run takes, from 0
     * @param count how many shards the fleet is split into, at least 1
     * @throws IllegalArgumentException unless {@code 0 <= index < count}
     */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count
                    + ": the count must be at least 1 and the index from 0 to the count less one (0/"
                    + Math.max(count, 1) + " is the first shard)");
        }
    }

    /**
     * Reads {@code K/N}, as {@code --shard} takes it.
     *
     * @param text the shard, such as {@code 0/4}
     * @return the shard
     * @throws IllegalArgumentException with what is wrong, when {@code text} is not {@code K/N}
     *     with {@code 0 <= K < N}
     */
    public static Shard parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("shard \"" + text + "\": expected K/N, such as 0/4 (shard 0 of 4)");
        }
        try {
            return new Shard(Integer.parseInt(text.substring(0, slash).strip()),
                    Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard \"" + text + "\": expected K/N with whole numbers, such as 0/4", e);
        }
    }

    /**
     * Whether an account belongs to this shard.
     *
     * @param accountName the account's name in the configuration
     * @return true when the account's stable hash falls in this shard
     */
    public boolean contains(String accountName) {
        return shardOf(accountName, count) == index;
    }

    /**
     * The shard an account falls in.
     *
     * @param accountName the account's name in the configuration
     * @param count how many shards, at least 1
     * @return the shard's index, from 0 to {@code count - 1}
     */
    public static int shardOf(String accountName, int count) {
        Objects.requireNonNull(accountName, "accountName");
        if (count < 1) {
            throw new IllegalArgumentException("shard count " + count + ": must be at least 1");
        }
        byte[] hash = sha256().digest(accountName.getBytes(StandardCharsets.UTF_8));
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = value << 8 | (hash[i] & 0xFF);
        }
        return (int) Long.remainderUnsigned(value, count);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
