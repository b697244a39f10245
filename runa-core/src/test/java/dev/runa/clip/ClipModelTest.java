package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The facade wires both towers to one weight source and closes it last. */
class ClipModelTest {

    @Test
    void bothTowersRunAndWeightsCloseWithTheModel() {
        ClipConfig c = EncoderReferenceTest.ODD;
        RandomClipWeights w = new RandomClipWeights(c, 1);
        try (ClipModel m = ClipModel.open(c, w, EncoderOptions.defaults())) {
            assertEquals(
                    c.projectionDim(),
                    m.vision()
                            .encode(EncoderReferenceTest.randomPixels(c, 1, 1))
                            .embedding()
                            .length);
            assertEquals(
                    c.projectionDim(),
                    m.text()
                            .encode(new int[][] {EncoderReferenceTest.randomTokens(c, 3, 1)})
                            .get(0)
                            .embedding()
                            .length);
        }
        assertThrows(IllegalStateException.class, () -> w.tensor("logit_scale"));
    }

    @Test
    void randomWeightsDoNotDependOnRequestOrder() {
        ClipConfig c = EncoderReferenceTest.ODD;
        try (RandomClipWeights a = new RandomClipWeights(c, 4);
                RandomClipWeights b = new RandomClipWeights(c, 4)) {
            String name = "vision_model.encoder.layers.1.mlp.fc1.weight";
            b.tensor("text_model.final_layer_norm.weight");
            assertEquals(a.tensor(name).asFloats(), b.tensor(name).asFloats());
            assertEquals(a.names(), b.names());
        }
    }
}
