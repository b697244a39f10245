package dev.runa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CocoLabelSetTest {
    @Test
    void eightyCategoriesInClassIndexOrder() throws Exception {
        LabelSet coco = LabelSet.COCO;
        assertEquals(80, coco.size());
        assertEquals(coco, LabelSet.parse("coco"));
        assertEquals(coco, LabelSet.parse(" COCO "));
        // Spot checks against COCO's category list (ids 1, 11, 13, 90 -> indices 0, 10, 11, 79).
        assertEquals("person", coco.classNames().get(0));
        assertEquals("fire hydrant", coco.classNames().get(10));
        assertEquals("stop sign", coco.classNames().get(11));
        assertEquals("toothbrush", coco.classNames().get(79));
        assertEquals(coco.classNames(), coco.promptLabels());
        // VOC spellings of the same classes.
        assertEquals(3, coco.indexOf("motorbike").getAsInt());
        assertEquals(57, coco.indexOf("sofa").getAsInt());
        assertEquals(62, coco.indexOf("tvmonitor").getAsInt());
        assertEquals(60, coco.indexOf("diningtable").getAsInt());
    }
}
