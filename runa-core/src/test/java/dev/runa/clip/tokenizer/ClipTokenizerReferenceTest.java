package dev.runa.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact parity with OpenAI's {@code clip.tokenize} on the real vocabulary (skipped when
 * {@code ../shared} is absent). Ids are integers: every comparison is exact.
 */
class ClipTokenizerReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = ClipTokenizer.fromOpenAiVocab(SharedReference.require("clip/bpe_simple_vocab_16e6.txt.gz"));
    }

    @Test
    void vocabularyHasOpenAiShape() {
        BpeVocabulary v = tokenizer.vocabulary();
        assertEquals(49408, v.size());
        assertEquals(48894, v.mergeCount());
        assertEquals(49406, v.startOfTextId());
        assertEquals(49407, v.endOfTextId());
        assertEquals("!", v.token(0));
        assertEquals("!</w>", v.token(256));
    }

    /** tokens_expected.jsonl: one line per line of tokens_texts.txt, ids and bpe from the reference. */
    @Test
    void matchesReferenceTokens() throws IOException {
        Path expected = SharedReference.require("reference/tokens_expected.jsonl");
        List<String> texts =
                Files.readAllLines(SharedReference.require("reference/tokens_texts.txt"), StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(expected, StandardCharsets.UTF_8);
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("ERROR")) {
                // The generator ran clip.tokenize without truncate for this line and recorded the
                // reference's "too long" error; check the reference's truncate=True rule instead.
                TokenizedText t = tokenizer.encode(texts.get(i));
                assertTrue(t.truncated(), "line " + (i + 1) + " should exceed the context");
                assertTruncatedLikeReference(t);
                continue;
            }
            JsonNode row = JSON.readTree(line);
            TokenizedText t = tokenizer.encode(row.get("text").asText());
            assertArrayEquals(ints(row.get("ids")), t.ids(), "ids of line " + (i + 1) + ": " + row.get("text"));
            assertArrayEquals(ints(row.get("bpe")), t.bpe(), "bpe of line " + (i + 1) + ": " + row.get("text"));
            checked++;
        }
        assertEquals(9, checked);
    }

    /** tiny/expected.json: token_ids and eot_index of the 4 texts the model goldens were made from. */
    @Test
    void matchesTinyModelTexts() throws IOException {
        JsonNode texts = JSON.readTree(
                        SharedReference.require("reference/tiny/expected.json").toFile())
                .get("texts");
        assertEquals(4, texts.size());
        for (JsonNode t : texts) {
            TokenizedText got = tokenizer.encode(t.get("text").asText());
            assertArrayEquals(ints(t.get("token_ids")), got.ids(), t.get("text").asText());
            assertEquals(
                    t.get("eot_index").asInt(), got.eotIndex(), t.get("text").asText());
        }
    }

    /**
     * 461 more texts (Unicode scripts, case-mapping corner cases, all whitespace kinds, entity forms,
     * special tokens, truncation, 400 seeded random strings), tokenized at development time by a port
     * of simple_tokenizer that reproduces tokens_expected.jsonl; only the golden ids are stored.
     */
    @Test
    void matchesExtendedGoldenTokens() throws IOException {
        int n = 0;
        for (JsonNode row : resourceJsonLines("extra_tokens_expected.jsonl")) {
            String text = row.get("text").asText();
            TokenizedText t = tokenizer.encode(text);
            int[] bpe = ints(row.get("bpe"));
            assertArrayEquals(bpe, t.bpe(), "bpe of " + JSON.writeValueAsString(text));
            assertArrayEquals(referenceIds(bpe), t.ids(), "ids of " + JSON.writeValueAsString(text));
            n++;
        }
        assertEquals(461, n);
    }

    /** Hugging Face files converted from the OpenAI merges give the same vocabulary and ids. */
    @Test
    void huggingFaceFilesGiveIdenticalIds(@TempDir Path dir) throws IOException {
        Path gz = SharedReference.require("clip/bpe_simple_vocab_16e6.txt.gz");
        Path vocabJson = dir.resolve("vocab.json");
        Path mergesTxt = dir.resolve("merges.txt");
        HuggingFaceExport.write(gz, vocabJson, mergesTxt);
        ClipTokenizer hf = ClipTokenizer.fromHuggingFace(vocabJson, mergesTxt);
        assertEquals(tokenizer.vocabulary().tokens(), hf.vocabulary().tokens());
        assertEquals(tokenizer.vocabulary().mergeCount(), hf.vocabulary().mergeCount());
        List<String> texts = new ArrayList<>(Files.readAllLines(SharedReference.require("reference/tokens_texts.txt")));
        for (JsonNode row : resourceJsonLines("extra_tokens_expected.jsonl")) {
            texts.add(row.get("text").asText());
        }
        for (String text : texts) {
            assertEquals(tokenizer.encode(text), hf.encode(text), text);
        }
    }

    private static void assertTruncatedLikeReference(TokenizedText t) {
        assertArrayEquals(referenceIds(t.bpe()), t.ids());
        assertEquals(76, t.eotIndex());
    }

    /** clip.tokenize(truncate=True) written out directly: [sot] + bpe + [eot], cut to 77 with eot last, zero pad. */
    private static int[] referenceIds(int[] bpe) {
        List<Integer> tokens = new ArrayList<>();
        tokens.add(49406);
        for (int b : bpe) {
            tokens.add(b);
        }
        tokens.add(49407);
        if (tokens.size() > 77) {
            tokens = new ArrayList<>(tokens.subList(0, 77));
            tokens.set(76, 49407);
        }
        int[] ids = new int[77];
        for (int i = 0; i < tokens.size(); i++) {
            ids[i] = tokens.get(i);
        }
        return ids;
    }

    private static List<JsonNode> resourceJsonLines(String name) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (InputStream in = ClipTokenizerReferenceTest.class.getResourceAsStream(name)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        return rows;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
