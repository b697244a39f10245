package dev.runa.finetune;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded, per-class (stratified) split of ID ground-truth regions into a training part, from
 * which shots are drawn, and a held-out part on which accuracy is reported. Like
 * {@link FewShotSampler}, the result depends only on the set of regions and the seed, not on their
 * order. Split before sampling so that no held-out region is ever a shot.
 *
 * @param train   regions left for training, grouped by class in class order
 * @param heldOut held-out regions, grouped by class in class order
 */
public record IdSplit(List<LabelledRegion> train, List<LabelledRegion> heldOut) {
    public IdSplit {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * Holds out {@code round(fraction * n_c)} regions of every class c.
     *
     * @param regions    all ID regions
     * @param classCount K; every region's class index must be below it
     * @param fraction   share held out, in [0, 1]
     * @param seed       seed of the draw
     */
    public static IdSplit split(List<LabelledRegion> regions, int classCount, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("held-out fraction must lie in [0, 1], got " + fraction);
        }
        // The sampler's draw with "all" shots is a seeded, order-independent permutation per class.
        FewShotSampler.Sample all = new FewShotSampler(FewShotSampler.ALL, seed).sample(regions, classCount);
        List<LabelledRegion> train = new ArrayList<>();
        List<LabelledRegion> held = new ArrayList<>();
        int start = 0;
        for (FewShotSampler.ClassCount c : all.perClass()) {
            List<LabelledRegion> perm = all.regions().subList(start, start + c.taken());
            int h = (int) Math.round(fraction * perm.size());
            held.addAll(perm.subList(0, h));
            train.addAll(perm.subList(h, perm.size()));
            start += c.taken();
        }
        return new IdSplit(train, held);
    }
}
