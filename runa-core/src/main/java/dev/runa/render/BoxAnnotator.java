package dev.runa.render;

import dev.runa.image.PixelImage;
import dev.runa.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws boxes with their decisions and captions on a copy of an image and writes it as PNG. */
public final class BoxAnnotator {
    /** Colour of an ID box. */
    public static final Color ID = new Color(0, 200, 0);
    /** Colour of an OOD box. */
    public static final Color OOD = new Color(230, 0, 0);
    /** Colour of a box without a decision. */
    public static final Color UNDECIDED = new Color(150, 150, 150);

    static {
        // Drawing must work on servers without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private BoxAnnotator() {}

    /** The colour a decision is drawn in. */
    public static Color colour(Boolean ood) {
        return ood == null ? UNDECIDED : ood ? OOD : ID;
    }

    /** An RGB copy of {@code image} with the boxes drawn (line width scales with the image size). */
    public static BufferedImage draw(PixelImage image, List<AnnotatedBox> boxes) {
        PixelImage rgb = image.toRgb();
        int w = rgb.width();
        int h = rgb.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] s = rgb.samples();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            int base = y * w * 3;
            for (int x = 0; x < w; x++) {
                int i = base + 3 * x;
                row[x] = (s[i] & 0xff) << 16 | (s[i + 1] & 0xff) << 8 | (s[i + 2] & 0xff);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float stroke = Math.max(1f, Math.min(w, h) / 200f);
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.min(w, h) / 30)));
            FontMetrics fm = g.getFontMetrics();
            for (AnnotatedBox b : boxes) {
                if (!b.box().isProper()) {
                    continue; // nothing sensible to draw for NaN or inverted boxes
                }
                int x1 = (int) Math.round(Math.max(0, Math.min(w - 1, b.box().x1())));
                int y1 = (int) Math.round(Math.max(0, Math.min(h - 1, b.box().y1())));
                int x2 = (int) Math.round(Math.max(0, Math.min(w - 1, b.box().x2())));
                int y2 = (int) Math.round(Math.max(0, Math.min(h - 1, b.box().y2())));
                Color c = colour(b.ood());
                g.setColor(c);
                g.drawRect(x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1));
                if (b.caption() != null && !b.caption().isEmpty()) {
                    int tw = fm.stringWidth(b.caption()) + 4;
                    int th = fm.getHeight();
                    int ty = y1 - th >= 0 ? y1 - th : y1; // above the box, or inside it at the top edge
                    int tx = Math.min(x1, Math.max(0, w - tw));
                    g.fillRect(tx, ty, tw, th);
                    g.setColor(Color.WHITE);
                    g.drawString(b.caption(), tx + 2, ty + fm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Draws and writes {@code file} as PNG, atomically. */
    public static void write(PixelImage image, List<AnnotatedBox> boxes, Path file) throws IOException {
        BufferedImage img = draw(image, boxes);
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException(file + ": no PNG writer available");
            }
        });
    }
}
