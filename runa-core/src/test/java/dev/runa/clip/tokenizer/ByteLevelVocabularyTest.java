package dev.runa.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteLevelVocabularyTest {

    @Test
    void everyByteIsOneTokenAndTheSpecialsComeLast() {
        BpeVocabulary v = BpeVocabulary.bytesOnly();
        assertEquals(514, v.size());
        assertEquals(0, v.mergeCount());
        assertEquals(512, v.startOfTextId());
        assertEquals(513, v.endOfTextId());
        ClipTokenizer t = new ClipTokenizer(v);
        TokenizedText tt = t.encode("a cat");
        // "a" is one word-final byte, "cat" is c, a, t</w>: 4 BPE tokens between start and end.
        assertEquals(4, tt.bpe().length);
        assertEquals(512, tt.ids()[0]);
        assertEquals(513, tt.ids()[5]);
        assertEquals(5, tt.eotIndex());
        assertEquals(0, tt.ids()[6]);
    }
}
