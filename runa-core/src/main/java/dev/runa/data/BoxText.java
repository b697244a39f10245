package dev.runa.data;

/** Boxes written as text, {@code x1,y1,x2,y2} in pixels (command lines, CSV box lists). Stateless. */
public final class BoxText {
    private BoxText() {}

    /**
     * Parses {@code x1,y1,x2,y2}.
     *
     * @param text  the four numbers, comma-separated (spaces around them allowed)
     * @param where what the text is, for messages (e.g. {@code boxes.csv line 3})
     * @throws IllegalArgumentException naming {@code where} when the text is not four numbers
     */
    public static Box parse(String text, String where) {
        String[] p = text.split(",", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException(
                    where + ": expected x1,y1,x2,y2 (4 numbers), found " + p.length + " values");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": '" + p[i] + "' is not a number");
            }
        }
        return new Box(v[0], v[1], v[2], v[3]);
    }
}
