package dev.runa.output;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields of one line, the one CSV writer of runa ({@code score --format csv} and eval's
 * {@code scores.csv}): a field is quoted when it holds a comma, quote or line break, or starts or
 * ends with white space (which some readers would otherwise trim). Stateless and thread-safe.
 */
public final class CsvLine {
    private CsvLine() {}

    /** Joins fields into one line. */
    public static String join(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i)));
        }
        return sb.toString();
    }

    /** One field as written in a line: as is, or quoted with inner quotes doubled. */
    public static String quote(String field) {
        boolean needs = field.indexOf(',') >= 0
                || field.indexOf('"') >= 0
                || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0
                || (!field.isEmpty() && !field.equals(field.strip()));
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /**
     * Splits one line written by {@link #join}.
     *
     * @throws IllegalArgumentException when a quoted field is not closed
     */
    public static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        boolean quotedField = false;
        while (i <= line.length()) {
            if (i == line.length()) {
                out.add(cur.toString());
                break;
            }
            char ch = line.charAt(i);
            if (cur.length() == 0 && ch == '"' && !quotedField) {
                quotedField = true;
                i++;
                boolean closed = false;
                while (i < line.length()) {
                    char q = line.charAt(i);
                    if (q == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            cur.append('"');
                            i += 2;
                        } else {
                            i++;
                            closed = true;
                            break;
                        }
                    } else {
                        cur.append(q);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted CSV field");
                }
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                quotedField = false;
                i++;
            } else {
                cur.append(ch);
                i++;
            }
        }
        return out;
    }
}
