// Global views per box: the incremental PastedResize (BoxViews.globalView) against the full
// paste + resize of the whole image (BoxViews.fullGlobalView, what every box paid before issue 14),
// in the same JVM, as CPU time of this thread (robust on a shared machine). Also checks that both
// give the same bytes on every box it times.
// Run: java -cp runa-cli/target/runa.jar bench/GlobalViewsBench.java [width height boxesPerSize]
import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.image.GaussianBlur;
import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.BoxViews;
import dev.runa.ood.StageTimes;
import java.util.Locale;
import java.util.Random;

public class GlobalViewsBench {
    public static void main(String[] args) {
        int w = args.length > 0 ? Integer.parseInt(args[0]) : 640;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 480;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Random rnd = new Random(1);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i / 3 % w) * 3 + (i / 3 / w) * 5 ^ rnd.nextInt(16));
        }
        PixelImage img = new PixelImage(w, h, PixelMode.RGB, px);
        ClipImagePreprocessor pre = new ClipImagePreprocessor(224);
        long c0 = StageTimes.cpuNow();
        PixelImage blurred = GaussianBlur.blur(img, 1f);
        long c1 = StageTimes.cpuNow();
        BoxViews views = BoxViews.forImage(img, pre, BoxViewOptions.DEFAULT);
        long c2 = StageTimes.cpuNow();
        System.out.printf(
                Locale.ROOT,
                "%dx%d image: blur %.2f ms, RGB+blur+base resize %.2f ms (CPU, once per image)%n",
                w,
                h,
                (c1 - c0) / 1e6,
                (c2 - c1) / 1e6);
        double[][] sides = {{0.05, 0.15}, {0.15, 0.4}, {0.4, 1.0}};
        String[] names = {"small (5-15% of side)", "medium (15-40%)", "large (40-100%)"};
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT
            for (int s = 0; s < sides.length; s++) {
                long full = 0, inc = 0;
                for (int k = 0; k < n; k++) {
                    double bw = w * (sides[s][0] + rnd.nextDouble() * (sides[s][1] - sides[s][0]));
                    double bh = h * (sides[s][0] + rnd.nextDouble() * (sides[s][1] - sides[s][0]));
                    double x1 = rnd.nextDouble() * (w - bw);
                    double y1 = rnd.nextDouble() * (h - bh);
                    long a = StageTimes.cpuNow();
                    PixelImage f = views.fullGlobalView(x1, y1, x1 + bw, y1 + bh);
                    long b = StageTimes.cpuNow();
                    PixelImage g = views.globalView(x1, y1, x1 + bw, y1 + bh);
                    long c = StageTimes.cpuNow();
                    if (!f.equals(g)) {
                        throw new AssertionError("views differ for box " + x1 + "," + y1 + " " + bw + "x" + bh);
                    }
                    full += b - a;
                    inc += c - b;
                }
                if (round == 1) {
                    System.out.printf(
                            Locale.ROOT,
                            "%-24s full %7.3f ms/box, incremental %7.3f ms/box, %6.1fx%n",
                            names[s],
                            full / 1e6 / n,
                            inc / 1e6 / n,
                            (double) full / inc);
                }
            }
        }
    }
}
