package io.github.imapbackup.mbox.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Fast byte search: eight bytes at a time. */
public final class Bytes {

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Bytes() { }

    /** Returns the index of the first '\n' in a[from, to), or -1. */
    public static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long v = (long) LONGS.get(a, i) ^ NEWLINES;
            long t = (v - ONES) & ~v & HIGHS;
            if (t != 0) {
                // The lowest flagged byte is always a real match (little-endian order).
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
