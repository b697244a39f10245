// Development harness (not product code): times ORT graph options for the ViT-B/16 vision tower
// interleaved in one process, so that load drift on a shared machine hits every option alike.
// Run: java -cp target/runa.jar bench/OptionSweep.java [threads] [rounds] [batches...]
import dev.runa.clip.ClipConfig;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.VisionEncoder;
import dev.runa.clip.graph.AttentionKind;

import java.util.*;

public class OptionSweep {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] batches = args.length > 2 ? Arrays.stream(args).skip(2).mapToInt(Integer::parseInt).toArray() : new int[]{1, 8};
        ClipConfig c = ClipConfig.vitB16();
        try (RandomClipWeights w = new RandomClipWeights(c, 0)) {
            Map<String, VisionEncoder> encs = new LinkedHashMap<>();
            for (AttentionKind a : AttentionKind.values()) {
                for (boolean pre : new boolean[]{true, false}) {
                    encs.put(a + (pre ? "/prepack" : "/noprepack"),
                            VisionEncoder.open(c, w, EncoderOptions.defaults().withThreads(threads).withAttention(a).withPrepacking(pre)));
                }
            }
            Map<String, double[]> best = new LinkedHashMap<>();
            Random r = new Random(0);
            for (int round = 0; round < rounds; round++) {
                for (var e : encs.entrySet()) {
                    double[] b = best.computeIfAbsent(e.getKey(), k -> new double[batches.length]);
                    for (int i = 0; i < batches.length; i++) {
                        float[] px = new float[batches[i] * e.getValue().pixelsPerImage()];
                        for (int j = 0; j < px.length; j++) px[j] = (float) r.nextGaussian();
                        if (round == 0) e.getValue().encode(px, batches[i]);
                        long t0 = System.nanoTime();
                        e.getValue().encode(px, batches[i]);
                        double ips = batches[i] / ((System.nanoTime() - t0) / 1e9);
                        b[i] = Math.max(b[i], ips);
                        System.out.printf(Locale.ROOT, "round %d %-22s batch %3d %8.2f img/s%n", round, e.getKey(), batches[i], ips);
                    }
                }
            }
            System.out.println("best of " + rounds + " (img/s): batches " + Arrays.toString(batches));
            best.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-22s %s%n", k, Arrays.toString(Arrays.stream(v).map(x -> Math.round(x * 100) / 100.0).toArray())));
            encs.values().forEach(VisionEncoder::close);
        }
    }
}
