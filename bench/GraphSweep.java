// Development harness (not product code): times vision-graph variants (attention kind, SkipLayerNorm,
// int8) of ViT-B/16 interleaved in one process, reporting wall images/s and process CPU-seconds per
// image (spin-waiting off, so CPU time is work: far less sensitive to other processes than wall time).
// Run: java -cp target/runa.jar bench/GraphSweep.java [rounds] [batches...]
// Options: -Dvariants=fused,int8 (a subset), -Dthreads=N (default 2), -Dprepacking=false (ORT weight pre-packing off).
import dev.runa.clip.*;
import dev.runa.clip.graph.*;
import java.lang.management.ManagementFactory;
import java.util.*;

public class GraphSweep {
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int[] batches = args.length > 1
                ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8};
        String only = System.getProperty("variants", "");
        ClipConfig c = ClipConfig.vitB16();
        EncoderOptions o = EncoderOptions.defaults()
                .withSpinWait(false)
                .withThreads(Integer.getInteger("threads", 2))
                .withPrepacking(Boolean.parseBoolean(System.getProperty("prepacking", "true")));
        try (RandomClipWeights w = new RandomClipWeights(c, 0)) {
            Map<String, GraphSpec> specs = new LinkedHashMap<>();
            specs.put("fused", new GraphSpec(AttentionKind.FUSED, false, null, false));
            specs.put("fused+skipln", new GraphSpec(AttentionKind.FUSED, true, null, false));
            specs.put("attention", new GraphSpec(AttentionKind.ATTENTION, false, null, false));
            specs.put("attention+skipln", new GraphSpec(AttentionKind.ATTENTION, true, null, false));
            ActivationStats stats = VisionEncoder.activationStats(c, w, o, CalibrationImages.synthetic(224, 2, 0));
            GraphSpec.Int8Plan perRun = new GraphSpec.Int8Plan(stats, 0.5, true).withScales(ActivationScales.PER_RUN);
            specs.put("int8", new GraphSpec(AttentionKind.FUSED, false, perRun, false));
            specs.put("int8+skipln", new GraphSpec(AttentionKind.FUSED, true, perRun, false));
            specs.put("int8qattn+skipln", new GraphSpec(AttentionKind.ATTENTION, true, perRun, false));
            specs.put(
                    "int8-fc2fp32",
                    new GraphSpec(
                            AttentionKind.FUSED,
                            false,
                            new GraphSpec.Int8Plan(stats, 0.5, false).withScales(ActivationScales.PER_RUN),
                            false));
            // Per-row activation scales (the default): results independent of the batch.
            specs.put(
                    "int8rows+skipln",
                    new GraphSpec(AttentionKind.FUSED, true, new GraphSpec.Int8Plan(stats, 0.5, true), false));
            Map<String, VisionEncoder> encs = new LinkedHashMap<>();
            for (var e : specs.entrySet()) {
                if (only.isEmpty() || Arrays.asList(only.split(",")).contains(e.getKey())) {
                    encs.put(e.getKey(), VisionEncoder.openGraph(c, w, o, VisionGraph.build(c, e.getValue())));
                }
            }
            Map<String, double[]> bestWall = new LinkedHashMap<>();
            Map<String, double[]> bestCpu = new LinkedHashMap<>();
            Random r = new Random(0);
            for (int round = 0; round < rounds; round++) {
                for (var e : encs.entrySet()) {
                    double[] bw = bestWall.computeIfAbsent(e.getKey(), k -> new double[batches.length]);
                    double[] bc = bestCpu.computeIfAbsent(e.getKey(), k -> {
                        double[] x = new double[batches.length];
                        Arrays.fill(x, 1e9);
                        return x;
                    });
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
                        System.out.printf(
                                Locale.ROOT,
                                "round %d %-18s batch %3d %7.2f img/s %7.3f cpu-s/img%n",
                                round,
                                e.getKey(),
                                batches[i],
                                ips,
                                cpuPerImage);
                    }
                }
            }
            System.out.println(
                    "best of " + rounds + ", batches " + Arrays.toString(batches) + ": wall img/s | cpu-s per image");
            bestWall.forEach((k, v) -> System.out.printf(
                    Locale.ROOT,
                    "%-18s %s | %s%n",
                    k,
                    Arrays.toString(Arrays.stream(v)
                            .map(x -> Math.round(x * 100) / 100.0)
                            .toArray()),
                    Arrays.toString(Arrays.stream(bestCpu.get(k))
                            .map(x -> Math.round(x * 1000) / 1000.0)
                            .toArray())));
            encs.values().forEach(VisionEncoder::close);
        }
    }
}
