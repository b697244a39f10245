// Development harness (not product code): is an image's output bit-identical whatever else is in
// its encoder batch? For each precision, encodes image 0 alone, then at position 0 and 5 of a batch
// of 8 other images, and at position 2 of a batch of 3, and counts differing floats (pooled and
// embedding) against the single run. Run: java -cp runa-cli/target/runa.jar bench/BatchInvariance.java [tiny|b16]
import dev.runa.clip.*;
import java.util.*;

public class BatchInvariance {
    public static void main(String[] args) {
        ClipConfig c = args.length > 0 && args[0].equals("tiny") ? ClipConfig.tiny() : ClipConfig.vitB16();
        int threads = Integer.getInteger("threads", 2);
        List<float[]> images = CalibrationImages.synthetic(c.vision().imageSize(), 9, 42);
        int per = images.get(0).length;
        try (RandomClipWeights w = new RandomClipWeights(c, 0)) {
            for (Precision p : new Precision[] {Precision.FP32, Precision.INT8}) {
                try (VisionEncoder enc = VisionEncoder.open(
                        c, w, EncoderOptions.defaults().withThreads(threads).withPrecision(p))) {
                    ImageFeatures alone = enc.encode(images.get(0));
                    int[][] layouts = {{0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, 3, 4, 5, 0, 6, 7}, {8, 7, 0}, {0, 8}};
                    for (int[] layout : layouts) {
                        float[] px = new float[layout.length * per];
                        int pos = -1;
                        for (int i = 0; i < layout.length; i++) {
                            System.arraycopy(images.get(layout[i]), 0, px, i * per, per);
                            if (layout[i] == 0) pos = i;
                        }
                        ImageFeatures got = enc.encode(px, layout.length).get(pos);
                        System.out.printf(
                                Locale.ROOT,
                                "%s %s batch %d position %d: %d/%d pooled and %d/%d embedding floats differ from the single run%n",
                                c.name(),
                                p,
                                layout.length,
                                pos,
                                differ(alone.pooled(), got.pooled()),
                                got.pooled().length,
                                differ(alone.embedding(), got.embedding()),
                                got.embedding().length);
                    }
                }
            }
        }
    }

    static int differ(float[] a, float[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) n++;
        return n;
    }
}
