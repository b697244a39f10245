// Development harness (not product code): records ORT's per-node profile of the ViT-B/16 vision
// encoder (random weights) as the product opens it, one session per (precision, batch).
// Run: java -Druna.ort.profile=/tmp/prof/p -cp runa-cli/target/runa.jar bench/ProfileClip.java fp32|int8 runs
// batches...
// then: python3 bench/ort_profile_summary.py /tmp/prof/p_*.json
import dev.runa.clip.*;
import java.util.*;

public class ProfileClip {
    public static void main(String[] args) {
        Precision precision = Precision.valueOf(args[0].toUpperCase(Locale.ROOT));
        int runs = Integer.parseInt(args[1]);
        ClipConfig c = ClipConfig.vitB16();
        EncoderOptions o = EncoderOptions.defaults().withPrecision(precision);
        String prefix = System.getProperty("runa.ort.profile");
        try (RandomClipWeights w = new RandomClipWeights(c, 0)) {
            for (int a = 2; a < args.length; a++) {
                int batch = Integer.parseInt(args[a]);
                EncoderOptions profiled =
                        o.withExperiments(new OrtExperiments(Map.of(), prefix + "_" + args[0] + "_b" + batch));
                try (VisionEncoder enc = VisionEncoder.open(c, w, profiled)) {
                    float[] px = new float[batch * enc.pixelsPerImage()];
                    Random r = new Random(0);
                    for (int j = 0; j < px.length; j++) px[j] = (float) r.nextGaussian();
                    enc.encode(px, batch);
                    double best = 1e9;
                    for (int i = 0; i < runs; i++) {
                        long t0 = System.nanoTime();
                        enc.encode(px, batch);
                        best = Math.min(best, (System.nanoTime() - t0) / 1e6 / batch);
                    }
                    System.out.printf(
                            Locale.ROOT, "%s batch %d: best %.1f ms/image (profiling on)%n", precision, batch, best);
                }
            }
        }
    }
}
