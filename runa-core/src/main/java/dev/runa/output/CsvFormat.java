package dev.runa.output;

import dev.runa.data.Box;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PixelBox;
import dev.runa.ood.ScoreKind;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV (RFC 4180): a header, then one row per box with the same information as
 * {@link JsonLinesFormat}; scores are columns named by their {@link ScoreKind} keys, empty when the
 * box has an error, and {@code ood} is {@code true}, {@code false} or empty.
 */
public final class CsvFormat implements RowFormat {
    private final boolean timing;

    public CsvFormat(boolean timing) {
        this.timing = timing;
    }

    /** The columns, in order. */
    public List<String> columns() {
        List<String> c = new ArrayList<>(List.of(
                "image_index",
                "box_index",
                "n_boxes",
                "image_id",
                "file",
                "x1",
                "y1",
                "x2",
                "y2",
                "category_id",
                "label",
                "confidence"));
        for (ScoreKind k : ScoreKind.values()) {
            c.add(k.key());
        }
        c.addAll(List.of("ood", "best_class", "crop_left", "crop_top", "crop_right", "crop_bottom", "error"));
        if (timing) {
            c.add("ms");
        }
        return c;
    }

    @Override
    public String header() {
        return CsvLine.join(columns());
    }

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String format(BoxRow row) {
        BoxResult r = row.result();
        Box b = row.detected().box();
        List<String> v = new ArrayList<>();
        v.add(Integer.toString(row.imageIndex()));
        v.add(Integer.toString(row.boxIndex()));
        v.add(Integer.toString(row.nBoxes()));
        v.add(text(row.imageId()));
        v.add(text(row.file()));
        v.add(Double.toString(b.x1()));
        v.add(Double.toString(b.y1()));
        v.add(Double.toString(b.x2()));
        v.add(Double.toString(b.y2()));
        v.add(text(row.detected().categoryId()));
        v.add(text(row.detected().label()));
        v.add(text(row.detected().confidence()));
        for (ScoreKind k : ScoreKind.values()) {
            v.add(r.scores() == null ? "" : Double.toString(r.scores().get(k)));
        }
        v.add(text(r.ood()));
        v.add(text(row.bestClass()));
        PixelBox c = r.crop();
        v.add(c == null ? "" : Integer.toString(c.left()));
        v.add(c == null ? "" : Integer.toString(c.top()));
        v.add(c == null ? "" : Integer.toString(c.right()));
        v.add(c == null ? "" : Integer.toString(c.bottom()));
        v.add(text(r.error()));
        if (timing) {
            v.add(Double.toString(Math.round(r.millis() * 1000) / 1000.0));
        }
        return CsvLine.join(v);
    }

    /** Resuming reads the file line by line, so no field may hold a line break. */
    private static String text(Object o) {
        return o == null
                ? ""
                : o.toString().replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public RowPosition position(String line) {
        List<String> f = CsvLine.parse(line);
        if (f.size() != columns().size()) {
            throw new IllegalArgumentException(
                    "row has " + f.size() + " fields, expected " + columns().size());
        }
        try {
            return new RowPosition(Integer.parseInt(f.get(0)), Integer.parseInt(f.get(1)), Integer.parseInt(f.get(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("row does not start with image_index, box_index, n_boxes");
        }
    }
}
