package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.Box;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FewShotSamplerTest {
    /** class c gets {@code perClass[c]} distinct regions. */
    static List<LabelledRegion> regions(int... perClass) {
        List<LabelledRegion> out = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                out.add(new LabelledRegion(
                        Path.of("img" + (i % 7) + ".jpg"),
                        "img" + (i % 7),
                        new Box(i, c, i + 10, c + 10),
                        c,
                        "class" + c));
            }
        }
        return out;
    }

    @Test
    void takesNPerClassAndReportsShortClasses() {
        FewShotSampler.Sample s = new FewShotSampler(5, 42).sample(regions(20, 3, 0, 5), 4);
        assertEquals(5 + 3 + 0 + 5, s.regions().size());
        assertEquals(
                List.of(
                        new FewShotSampler.ClassCount(0, 5, 20, 5),
                        new FewShotSampler.ClassCount(1, 5, 3, 3),
                        new FewShotSampler.ClassCount(2, 5, 0, 0),
                        new FewShotSampler.ClassCount(3, 5, 5, 5)),
                s.perClass());
        assertEquals(
                List.of(1, 2),
                s.shortClasses().stream()
                        .map(FewShotSampler.ClassCount::classIndex)
                        .toList());
        assertEquals(new HashSet<>(s.regions()).size(), s.regions().size(), "no region drawn twice");
        for (int i = 1; i < s.regions().size(); i++) {
            assertTrue(s.regions().get(i - 1).classIndex() <= s.regions().get(i).classIndex(), "grouped by class");
        }
    }

    @Test
    void sameSeedSameRegionsWhateverTheInputOrder() {
        List<LabelledRegion> in = regions(30, 30, 30);
        List<LabelledRegion> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new Random(7));
        FewShotSampler sampler = new FewShotSampler(10, 123);
        assertEquals(sampler.sample(in, 3), sampler.sample(shuffled, 3));
        assertNotEquals(
                sampler.sample(in, 3).regions(),
                new FewShotSampler(10, 124).sample(in, 3).regions());
    }

    @Test
    void movingTheDatasetDoesNotChangeTheDraw() {
        List<LabelledRegion> here = regions(20, 20);
        List<LabelledRegion> moved = here.stream()
                .map(r -> new LabelledRegion(
                        Path.of("/elsewhere").resolve(r.imageFile()),
                        r.imageId(),
                        r.box(),
                        r.classIndex(),
                        r.datasetLabel()))
                .toList();
        List<String> a = new FewShotSampler(5, 3)
                .sample(here, 2).regions().stream()
                        .map(r -> r.imageId() + r.box())
                        .toList();
        List<String> b = new FewShotSampler(5, 3)
                .sample(moved, 2).regions().stream()
                        .map(r -> r.imageId() + r.box())
                        .toList();
        assertEquals(a, b);
    }

    @Test
    void smallerShotCountsAreNestedPrefixes() {
        List<LabelledRegion> in = regions(40, 40);
        List<LabelledRegion> ten = new FewShotSampler(10, 9).sample(in, 2).regions();
        List<LabelledRegion> five = new FewShotSampler(5, 9).sample(in, 2).regions();
        assertEquals(ten.subList(0, 5), five.subList(0, 5));
        assertEquals(ten.subList(10, 15), five.subList(5, 10));
    }

    @Test
    void aClassKeepsItsShotsWhenAnotherClassChanges() {
        List<LabelledRegion> a =
                new FewShotSampler(4, 1).sample(regions(10, 10), 2).regions();
        List<LabelledRegion> b =
                new FewShotSampler(4, 1).sample(regions(25, 10), 2).regions();
        assertEquals(a.subList(4, 8), b.subList(4, 8));
    }

    @Test
    void zeroAndAll() {
        List<LabelledRegion> in = regions(6, 2);
        FewShotSampler.Sample none = new FewShotSampler(0, 0).sample(in, 2);
        assertTrue(none.regions().isEmpty());
        assertTrue(none.shortClasses().isEmpty());
        FewShotSampler.Sample all = new FewShotSampler(FewShotSampler.ALL, 0).sample(in, 2);
        assertEquals(new HashSet<>(in), new HashSet<>(all.regions()));
        assertTrue(all.shortClasses().isEmpty());
    }

    @Test
    void drawIsRoughlyUniform() {
        // Each of 10 candidates should be drawn in about 3/10 of 4000 seeds (1200; binomial sd ~29).
        // 6 sd (+-174) keeps a correct sampler from failing while catching e.g. an always-first bias.
        List<LabelledRegion> in = regions(10);
        List<LabelledRegion> canonical = new ArrayList<>(in);
        canonical.sort(LabelledRegion.CANONICAL_ORDER);
        int[] hits = new int[10];
        for (long seed = 0; seed < 4000; seed++) {
            for (LabelledRegion r : new FewShotSampler(3, seed).sample(in, 1).regions()) {
                hits[canonical.indexOf(r)]++;
            }
        }
        for (int h : hits) {
            assertTrue(Math.abs(h - 1200) < 174, "draw counts " + java.util.Arrays.toString(hits));
        }
    }

    @Test
    void parsesShotCountsAndRejectsBadInput() {
        assertEquals(FewShotSampler.ALL, FewShotSampler.parseShots("all"));
        assertThrows(IllegalArgumentException.class, () -> FewShotSampler.parseShots("-1")); // issue 9: not "all"
        assertEquals(10, FewShotSampler.parseShots(" 10 "));
        assertEquals("all", FewShotSampler.formatShots(FewShotSampler.ALL));
        assertThrows(IllegalArgumentException.class, () -> FewShotSampler.parseShots("-2"));
        assertThrows(IllegalArgumentException.class, () -> FewShotSampler.parseShots("ten"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new FewShotSampler(1, 0).sample(regions(1, 1, 1), 2));
        assertTrue(e.getMessage().contains("class index 2"), e.getMessage());
    }
}
