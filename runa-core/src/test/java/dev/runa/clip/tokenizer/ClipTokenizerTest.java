package dev.runa.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizer behaviour on the hand-made vocabulary of {@link TinyVocab}; runs without ../shared. */
class ClipTokenizerTest {
    private static final int SOT = 519;
    private static final int EOT = 520;

    @TempDir
    Path dir;

    private ClipTokenizer tok;

    @BeforeEach
    void setUp() throws IOException {
        tok = ClipTokenizer.fromOpenAiVocab(TinyVocab.openAi(dir));
    }

    /** Id of a byte's symbol, from the reference's table order (printable ranges, then the rest). */
    private static int byteId(int b, boolean last) {
        int id;
        if (b >= '!' && b <= '~') {
            id = b - '!';
        } else if (b >= 0xA1 && b <= 0xAC) {
            id = 94 + b - 0xA1;
        } else if (b >= 0xAE) {
            id = 106 + b - 0xAE;
        } else {
            throw new IllegalArgumentException("not a printable byte in this helper: " + b);
        }
        return last ? id + 256 : id;
    }

    @Test
    void mergesInRankOrder() {
        assertArrayEquals(new int[] {516}, tok.bpeIds("hello"));
        assertArrayEquals(new int[] {518}, tok.bpeIds("low"));
        // "he" is merged before "ll", and "ll</w>" has no rule: the word end matters.
        assertArrayEquals(new int[] {512, byteId('l', false), byteId('l', true)}, tok.bpeIds("hell"));
        assertArrayEquals(new int[] {514}, tok.bpeIds("lo"));
        assertArrayEquals(new int[] {517, byteId('l', true)}, tok.bpeIds("lol"));
    }

    @Test
    void unknownCharactersFallBackToByteSymbols() {
        assertArrayEquals(new int[] {byteId('z', true)}, tok.bpeIds("z"));
        // é = C3 A9 in UTF-8: two byte symbols, the last carrying </w>.
        assertArrayEquals(new int[] {byteId(0xC3, false), byteId(0xA9, true)}, tok.bpeIds("é"));
        // 🙂 = F0 9F 99 82: 0x9F, 0x99 and 0x82 are remapped bytes (U+0100 + their rank among them).
        int[] smile = tok.bpeIds("🙂");
        assertEquals(4, smile.length);
        assertEquals(byteId(0xF0, false), smile[0]);
        BpeVocabulary v = tok.vocabulary();
        assertEquals(String.valueOf(ByteUnicode.of(0x82)) + "</w>", v.token(smile[3]));
    }

    @Test
    void agreesWithStringBasedReferenceBpeOnRandomWords() {
        Map<List<String>, Integer> ranks = new HashMap<>();
        for (int r = 0; r < TinyVocab.MERGES.size(); r++) {
            ranks.put(Arrays.asList(TinyVocab.MERGES.get(r).split(" ")), r);
        }
        Random rnd = new Random(42);
        String alphabet = "helowx";
        for (int n = 0; n < 2000; n++) {
            StringBuilder w = new StringBuilder();
            for (int i = 0, len = 1 + rnd.nextInt(12); i < len; i++) {
                w.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            List<String> expected = referenceBpe(w.toString(), ranks);
            int[] got = tok.bpeIds(w.toString());
            List<String> gotTokens = new ArrayList<>();
            for (int id : got) {
                gotTokens.add(tok.vocabulary().token(id));
            }
            assertEquals(expected, gotTokens, "word " + w);
        }
    }

    /** A direct, string-based transcription of simple_tokenizer's bpe() loop. */
    private static List<String> referenceBpe(String token, Map<List<String>, Integer> ranks) {
        List<String> word = new ArrayList<>();
        for (int i = 0; i < token.length() - 1; i++) {
            word.add(String.valueOf(token.charAt(i)));
        }
        word.add(token.charAt(token.length() - 1) + "</w>");
        while (word.size() > 1) {
            List<String> best = null;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = ranks.get(List.of(word.get(i), word.get(i + 1)));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = List.of(word.get(i), word.get(i + 1));
                }
            }
            if (best == null) {
                break;
            }
            List<String> next = new ArrayList<>();
            int i = 0;
            while (i < word.size()) {
                int j = word.subList(i, word.size()).indexOf(best.get(0));
                if (j < 0) {
                    next.addAll(word.subList(i, word.size()));
                    break;
                }
                next.addAll(word.subList(i, i + j));
                i += j;
                if (i < word.size() - 1 && word.get(i + 1).equals(best.get(1))) {
                    next.add(best.get(0) + best.get(1));
                    i += 2;
                } else {
                    next.add(word.get(i));
                    i += 1;
                }
            }
            word = next;
        }
        return word;
    }

    @Test
    void cleansHtmlWhitespaceAndCase() {
        int[] hello = {516};
        assertArrayEquals(hello, tok.bpeIds("HELLO"));
        assertArrayEquals(new int[] {516, 518}, tok.bpeIds(" \t hello \n\u00A0 low\u3000 "));
        // &amp;lt; unescapes twice to '<'.
        assertArrayEquals(new int[] {byteId('<', true), 516}, tok.bpeIds("&amp;lt; hello"));
        assertArrayEquals(new int[] {byteId('&', true), 516}, tok.bpeIds("&amp hello"));
        assertArrayEquals(new int[0], tok.bpeIds(" \u2028\u3000\t"));
        // Contractions split off; punctuation runs stay together.
        assertArrayEquals(
                new int[] {516, byteId('\'', false), byteId('s', true), byteId('!', false), byteId('?', true)},
                tok.bpeIds("hello's!?"));
    }

    @Test
    void padsWithZerosAndPlacesEndToken() {
        TokenizedText t = tok.encode("hello low");
        int[] ids = t.ids();
        assertEquals(77, ids.length);
        assertArrayEquals(new int[] {SOT, 516, 518, EOT}, Arrays.copyOf(ids, 4));
        for (int i = 4; i < 77; i++) {
            assertEquals(0, ids[i]);
        }
        assertEquals(3, t.eotIndex());
        assertFalse(t.truncated());
        TokenizedText empty = tok.encode("");
        assertArrayEquals(new int[] {SOT, EOT, 0}, Arrays.copyOf(empty.ids(), 3));
        assertEquals(1, empty.eotIndex());
    }

    @Test
    void truncatesKeepingTheEndToken() {
        String fits = "lo ".repeat(75);
        TokenizedText exact = tok.encode(fits);
        assertEquals(75, exact.bpe().length);
        assertFalse(exact.truncated());
        assertEquals(EOT, exact.ids()[76]);
        assertEquals(76, exact.eotIndex());

        TokenizedText over = tok.encode("lo ".repeat(75) + "hello low");
        assertTrue(over.truncated());
        assertEquals(77, over.bpe().length);
        int[] ids = over.ids();
        assertEquals(SOT, ids[0]);
        for (int i = 1; i < 76; i++) {
            assertEquals(514, ids[i]);
        }
        assertEquals(EOT, ids[76]);
        assertEquals(76, over.eotIndex());
    }

    @Test
    void typedSpecialTokensAreSingleTokensAndArgmaxFindsTheFirst() {
        TokenizedText t = tok.encode("hello <|endoftext|> low");
        assertArrayEquals(new int[] {516, EOT, 518}, t.bpe());
        assertEquals(2, t.eotIndex()); // like torch.argmax: the first of the equal maxima
        assertArrayEquals(new int[] {SOT}, tok.bpeIds("<|StartOfText|>"));
    }

    @Test
    void batchIsRowMajorInt64() {
        TokenBatch b = tok.encodeBatch(List.of("hello", "low low", ""));
        assertEquals(3, b.size());
        assertArrayEquals(new long[] {3, 77}, b.shape());
        long[] ids = b.ids();
        assertEquals(3 * 77, ids.length);
        for (int row = 0; row < 3; row++) {
            int[] single = tok.encode(List.of("hello", "low low", "").get(row)).ids();
            for (int i = 0; i < 77; i++) {
                assertEquals(single[i], ids[row * 77 + i]);
            }
        }
        assertArrayEquals(new int[] {2, 3, 1}, b.eotIndices());
    }

    @Test
    void concurrentUseWithATinyCacheGivesTheSameIds() throws Exception {
        ClipTokenizer small = new ClipTokenizer(tok.vocabulary(), 77, 3);
        Random rnd = new Random(1);
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 6; w++) {
                s.append(List.of("hello", "low", "hell", "lol", "é", "x", "lo").get(rnd.nextInt(7)))
                        .append(' ');
            }
            texts.add(s.toString());
        }
        List<TokenizedText> expected = new ArrayList<>();
        for (String t : texts) {
            expected.add(new ClipTokenizer(tok.vocabulary(), 77, 0).encode(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<TokenizedText>>> futures = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                futures.add(pool.submit(() -> {
                    List<TokenizedText> out = new ArrayList<>();
                    for (String t : texts) {
                        out.add(small.encode(t));
                    }
                    return out;
                }));
            }
            for (Future<List<TokenizedText>> f : futures) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsUnpairedSurrogatesAndBadContext() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.encode("ab\uD800c"));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClipTokenizer(tok.vocabulary(), 1, 10));
    }

    @Test
    void resultsAreDefensiveCopies() {
        TokenizedText t = tok.encode("hello");
        t.ids()[1] = 99;
        assertEquals(516, t.ids()[1]);
    }
}
