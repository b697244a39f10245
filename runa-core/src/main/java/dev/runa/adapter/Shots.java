package dev.runa.adapter;

import java.util.Locale;

/** Shots per class, as adapters record them: a count &gt;= 0, or {@link #ALL}. Stateless. */
public final class Shots {
    /** Every candidate region of each class (written {@code all}). */
    public static final int ALL = -1;

    private Shots() {}

    /** Parses a shot count: a number &gt;= 0, or {@code all} for {@link #ALL} (-1 is internal, never accepted). */
    public static int parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return ALL;
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("shots must be a number >= 0 or 'all', got '" + s + "'");
    }

    /** The recorded form: {@code all} or the count. */
    public static String format(int shots) {
        return shots == ALL ? "all" : Integer.toString(shots);
    }
}
