// Views before and after, in one JVM under the same load: loads dev.runa from two jars in separate
// class loaders and alternates them, timing the CPU of this thread. Per 640x480 image with 4 boxes
// (bench runa's images): RGB conversion + blur + both views of every box (BoxViews.forImage, views).
// Run: java bench/ViewsAB.java BEFORE.jar AFTER.jar [rounds]
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

public class ViewsAB {
    record Impl(
            String name,
            Object pre,
            Object options,
            Method forImage,
            Method views,
            Method blur,
            Class<?> img,
            Object mode) {}

    static Impl load(String name, String jar) throws Exception {
        ClassLoader cl = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, null);
        Class<?> pre = cl.loadClass("dev.runa.clip.ClipImagePreprocessor");
        Class<?> opts = cl.loadClass("dev.runa.ood.BoxViewOptions");
        Class<?> img = cl.loadClass("dev.runa.image.PixelImage");
        Class<?> mode = cl.loadClass("dev.runa.image.PixelMode");
        Class<?> bv = cl.loadClass("dev.runa.ood.BoxViews");
        Class<?> blur = cl.loadClass("dev.runa.image.GaussianBlur");
        return new Impl(
                name,
                pre.getConstructor(int.class).newInstance(224),
                opts.getField("DEFAULT").get(null),
                bv.getMethod("forImage", img, pre, opts),
                bv.getMethod("views", double.class, double.class, double.class, double.class),
                blur.getMethod("blur", img, float.class),
                img,
                mode.getField("RGB").get(null));
    }

    public static void main(String[] args) throws Exception {
        Impl[] impls = {load("before", args[0]), load("after", args[1])};
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        var mx = ManagementFactory.getThreadMXBean();
        int w = 640, h = 480;
        Random rnd = new Random(1);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i / 3 % w) * 3 + (i / 3 / w) * 5 ^ rnd.nextInt(16));
        }
        Object[] images = new Object[2];
        for (int k = 0; k < 2; k++) {
            images[k] = impls[k].img()
                    .getConstructor(int.class, int.class, impls[k].mode().getClass(), byte[].class)
                    .newInstance(w, h, impls[k].mode(), px);
        }
        long[] blurNs = new long[2], viewNs = new long[2];
        int boxes = 0;
        for (int r = 0; r < rounds + 5; r++) {
            // bench runa's boxes: 4 per image, random corners, at least 40 px.
            double[][] bs = new double[4][];
            for (int b = 0; b < 4; b++) {
                double x1 = rnd.nextInt(w - 100), y1 = rnd.nextInt(h - 100);
                bs[b] = new double[] {
                    x1, y1, x1 + 40 + rnd.nextInt((int) (w - x1 - 40)), y1 + 40 + rnd.nextInt((int) (h - y1 - 40))
                };
            }
            for (int k = 0; k < 2; k++) {
                Impl m = impls[k];
                long t0 = mx.getCurrentThreadCpuTime();
                m.blur().invoke(null, images[k], 1f);
                long t1 = mx.getCurrentThreadCpuTime();
                Object views = m.forImage().invoke(null, images[k], m.pre(), m.options());
                for (double[] b : bs) {
                    m.views().invoke(views, b[0], b[1], b[2], b[3]);
                }
                long t2 = mx.getCurrentThreadCpuTime();
                if (r >= 5) { // the first rounds warm the JIT
                    blurNs[k] += t1 - t0;
                    viewNs[k] += (t2 - t1) - (t1 - t0); // forImage blurs again: count the blur once
                }
            }
            if (r >= 5) {
                boxes += 4;
            }
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-6s blur %6.2f ms/image, views (RGB + base + 2 views/box) %6.2f ms/box,"
                            + " blur + views %6.2f ms/box (CPU)%n",
                    impls[k].name(),
                    blurNs[k] / 1e6 / (boxes / 4),
                    viewNs[k] / 1e6 / boxes,
                    (blurNs[k] + viewNs[k]) / 1e6 / boxes);
        }
        System.out.printf(
                Locale.ROOT,
                "after/before: blur %.2fx faster, blur + views %.2fx faster%n",
                (double) blurNs[0] / blurNs[1],
                (double) (blurNs[0] + viewNs[0]) / (blurNs[1] + viewNs[1]));
    }
}
