package dev.runa.finetune;

import dev.runa.adapter.Shots;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws N shots per ID class from the ground-truth regions (docs/method.md section 5), seeded.
 *
 * <p>Reproducibility: candidates are first put in {@link LabelledRegion#CANONICAL_ORDER}, so the draw
 * depends only on the set of candidates and the seed, not on the order the dataset lists them in.
 * Each class draws from its own generator ({@link SplittableRandom#split()} of the seed's generator, in
 * class order), so a class's shots do not change when another class gains or loses candidates. The
 * draw is a partial Fisher-Yates shuffle, hence nested: with the same seed the 5 shots of a class are
 * the first 5 of its 10 shots, which lets different shot counts share cached features.
 */
public final class FewShotSampler {
    /** Shot count meaning "every candidate". */
    public static final int ALL = Shots.ALL;

    private final int shots;
    private final long seed;

    /**
     * @param shots shots per class: 0 (none), a positive count, or {@link #ALL}
     * @param seed  seed of the draw
     */
    public FewShotSampler(int shots, long seed) {
        if (shots < ALL) {
            throw new IllegalArgumentException("shots must be >= 0 or " + ALL + " (all), got " + shots);
        }
        this.shots = shots;
        this.seed = seed;
    }

    /** Parses a shot count; see {@link Shots#parse}. */
    public static int parseShots(String s) {
        return Shots.parse(s);
    }

    /** The recorded form of a shot count; see {@link Shots#format}. */
    public static String formatShots(int shots) {
        return Shots.format(shots);
    }

    /** Shots per class this sampler draws ({@link #ALL} for every candidate). */
    public int shots() {
        return shots;
    }

    /** Seed of the draw. */
    public long seed() {
        return seed;
    }

    /**
     * How one class fared.
     *
     * @param classIndex the class
     * @param requested  shots asked for ({@link #ALL} for all)
     * @param available  candidates of the class
     * @param taken      regions drawn: {@code min(requested, available)}, or all
     */
    public record ClassCount(int classIndex, int requested, int available, int taken) {
        /** True when the class had fewer candidates than shots were asked for. */
        public boolean isShort() {
            return requested != ALL && available < requested;
        }
    }

    /**
     * The drawn regions, grouped by class in class order and in draw order within a class, and the
     * count of every class (including classes with no candidates).
     */
    public record Sample(List<LabelledRegion> regions, List<ClassCount> perClass) {
        public Sample {
            regions = List.copyOf(regions);
            perClass = List.copyOf(perClass);
        }

        /** Classes that got fewer shots than requested. */
        public List<ClassCount> shortClasses() {
            return perClass.stream().filter(ClassCount::isShort).toList();
        }
    }

    /**
     * Draws the shots.
     *
     * @param candidates all ground-truth regions
     * @param classCount K, the number of ID classes; every region's class index must be below it
     */
    public Sample sample(List<LabelledRegion> candidates, int classCount) {
        if (classCount <= 0) {
            throw new IllegalArgumentException("class count must be positive, got " + classCount);
        }
        List<List<LabelledRegion>> byClass = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            byClass.add(new ArrayList<>());
        }
        for (LabelledRegion r : candidates) {
            if (r.classIndex() >= classCount) {
                throw new IllegalArgumentException("region of image " + r.imageId() + " ('" + r.datasetLabel()
                        + "') has class index " + r.classIndex() + ", but there are only " + classCount + " classes");
            }
            byClass.get(r.classIndex()).add(r);
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<LabelledRegion> out = new ArrayList<>();
        List<ClassCount> counts = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            SplittableRandom rng = root.split(); // split even for empty classes, so class c always gets the c-th stream
            List<LabelledRegion> pool = byClass.get(c);
            pool.sort(LabelledRegion.CANONICAL_ORDER);
            int n = pool.size();
            int take = shots == ALL ? n : Math.min(shots, n);
            for (int i = 0; i < take; i++) {
                int j = i + rng.nextInt(n - i);
                LabelledRegion t = pool.get(i);
                pool.set(i, pool.get(j));
                pool.set(j, t);
            }
            out.addAll(pool.subList(0, take));
            counts.add(new ClassCount(c, shots, n, take));
        }
        return new Sample(out, counts);
    }
}
