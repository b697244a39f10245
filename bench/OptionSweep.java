// Development harness (not product code): times ORT graph options for the ViT-B/16 vision tower
// interleaved in one process, so that load drift on a shared machine hits every option alike.
// Reports wall images/s and process CPU-seconds per image (spin-waiting off, so CPU time is work,
// which is far less sensitive to other processes than wall time).
// Run: java -cp target/runa.jar bench/OptionSweep.java [threads] [rounds] [batches...]
import dev.runa.clip.ClipConfig;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.VisionEncoder;
import dev.runa.clip.graph.AttentionKind;

import java.lang.management.ManagementFactory;
import java.util.*;

public class OptionSweep {
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] batches = args.length > 2 ? Arrays.stream(args).skip(2).mapToInt(Integer::parseInt).toArray() : new int[]{1, 8};
        ClipConfig c = ClipConfig.vitB16();
        try (RandomClipWeights w = new RandomClipWeights(c, 0)) {
            Map<String, VisionEncoder> encs = new LinkedHashMap<>();
            for (AttentionKind a : AttentionKind.values()) {
                for (boolean pre : new boolean[]{true, false}) {
                    encs.put(a + (pre ? "/prepack" : "/noprepack"), VisionEncoder.open(c, w, EncoderOptions.defaults()
                            .withThreads(threads).withAttention(a).withPrepacking(pre).withSpinWait(false)));
                }
            }
            Map<String, double[]> bestWall = new LinkedHashMap<>();
            Map<String, double[]> bestCpu = new LinkedHashMap<>();
            Random r = new Random(0);
            for (int round = 0; round < rounds; round++) {
                for (var e : encs.entrySet()) {
                    double[] bw = bestWall.computeIfAbsent(e.getKey(), k -> new double[batches.length]);
                    double[] bc = bestCpu.computeIfAbsent(e.getKey(), k -> { double[] x = new double[batches.length]; Arrays.fill(x, 1e9); return x; });
                    for (int i = 0; i < batches.length; i++) {
                        float[] px = new float[batches[i] * e.getValue().pixelsPerImage()];
                        for (int j = 0; j < px.length; j++) px[j] = (float) r.nextGaussian();
                        if (round == 0) e.getValue().encode(px, batches[i]);
                        long c0 = cpu(), t0 = System.nanoTime();
                        e.getValue().encode(px, batches[i]);
                        double ips = batches[i] / ((System.nanoTime() - t0) / 1e9);
                        double cpuPerImage = (cpu() - c0) / 1e9 / batches[i];
                        bw[i] = Math.max(bw[i], ips);
                        bc[i] = Math.min(bc[i], cpuPerImage);
                        System.out.printf(Locale.ROOT, "round %d %-18s batch %3d %7.2f img/s %7.3f cpu-s/img%n", round, e.getKey(), batches[i], ips, cpuPerImage);
                    }
                }
            }
            System.out.println("best of " + rounds + ", batches " + Arrays.toString(batches) + ": wall img/s | cpu-s per image");
            bestWall.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-18s %s | %s%n", k,
                    Arrays.toString(Arrays.stream(v).map(x -> Math.round(x * 100) / 100.0).toArray()),
                    Arrays.toString(Arrays.stream(bestCpu.get(k)).map(x -> Math.round(x * 1000) / 1000.0).toArray())));
            encs.values().forEach(VisionEncoder::close);
        }
    }
}
