package dev.runa.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class BpeVocabularyTest {
    @TempDir
    Path dir;

    @Test
    void buildsVocabularyInReferenceOrder() throws IOException {
        BpeVocabulary v = BpeVocabulary.fromOpenAiGzip(TinyVocab.openAi(dir));
        assertEquals(256 * 2 + 7 + 2, v.size());
        assertEquals(7, v.mergeCount());
        // Printable bytes first in byte order ('!' = 33 is id 0), then the remapped ones from U+0100.
        assertEquals("!", v.token(0));
        assertEquals("a", v.token('a' - '!'));
        assertEquals("\u00A1", v.token(94));
        assertEquals("\u00AE", v.token(106));
        assertEquals("\u0100", v.token(188)); // byte 0 is the first remapped byte
        assertEquals("\u0120", v.token(188 + 32)); // the space byte (0x20) is remapped to Ġ
        assertEquals("!</w>", v.token(256));
        assertEquals("he", v.token(512));
        assertEquals("low</w>", v.token(518));
        assertEquals(519, v.startOfTextId());
        assertEquals(520, v.endOfTextId());
        assertEquals(516, v.id("hello</w>").getAsInt());
        assertTrue(v.id("nope").isEmpty());
    }

    @Test
    void huggingFaceFilesGiveTheSameVocabulary() throws IOException {
        BpeVocabulary openAi = BpeVocabulary.fromOpenAiGzip(TinyVocab.openAi(dir));
        Path[] hf = TinyVocab.huggingFace(dir);
        BpeVocabulary fromHf = BpeVocabulary.fromHuggingFace(hf[0], hf[1]);
        assertEquals(openAi.tokens(), fromHf.tokens());
        assertEquals(openAi.mergeCount(), fromHf.mergeCount());
    }

    @Test
    void onlyTheReferencesMergeLinesAreUsed() throws IOException {
        StringBuilder text = new StringBuilder("header\n");
        // 48894 distinct merges of byte pairs that exist, then one more that must be ignored.
        int count = 0;
        outer:
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                if (count == BpeVocabulary.MAX_MERGES) {
                    break outer;
                }
                text.append(ByteUnicode.of(a))
                        .append(' ')
                        .append(ByteUnicode.of(b))
                        .append("</w>\n");
                count++;
            }
        }
        text.append("this line is past the limit and malformed\n");
        BpeVocabulary v = BpeVocabulary.fromOpenAiGzip(TinyVocab.writeGz(dir, "long.gz", text.toString()));
        assertEquals(BpeVocabulary.MAX_MERGES, v.mergeCount());
        assertEquals(49408, v.size());
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path missing = dir.resolve("missing.txt.gz");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(missing), missing.toString(), "does not exist");

        Path notGzip = dir.resolve("plain.txt.gz");
        Files.writeString(notGzip, "header\nh e\n");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(notGzip), notGzip.toString(), "gzip");

        Path malformed = TinyVocab.writeGz(dir, "bad.gz", "header\nh e\nl l o\n");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(malformed), malformed + " line 3", "two symbols");

        Path lonely = TinyVocab.writeGz(dir, "lonely.gz", "header\nh\n");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(lonely), lonely + " line 2", "two symbols");

        Path duplicate = TinyVocab.writeGz(dir, "dup.gz", "header\nh e\nl l\nh e\n");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(duplicate), duplicate + " line 4", "duplicate");

        Path sameResult = TinyVocab.writeGz(dir, "same.gz", "header\nb c\na b\na bc\nab c\n");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(sameResult), sameResult + " line 5", "'abc'");

        Path unknownPart = TinyVocab.writeGz(dir, "unknown.gz", "header\nxy z\n");
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(unknownPart), unknownPart + " line 2", "'xy'");

        Path notUtf8 = TinyVocab.writeGz(dir, "latin1.gz", "header\nh \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(() -> BpeVocabulary.fromOpenAiGzip(notUtf8), notUtf8.toString(), "UTF-8");
    }

    @Test
    void huggingFaceErrorsNameTheFile() throws IOException {
        Path[] hf = TinyVocab.huggingFace(dir);
        Path vocab = hf[0];
        Path merges = hf[1];
        String json = Files.readString(vocab);

        Path missing = dir.resolve("none.json");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(missing, merges), missing.toString(), "does not exist");
        Path missingMerges = dir.resolve("none.txt");
        assertMessage(
                () -> BpeVocabulary.fromHuggingFace(vocab, missingMerges), missingMerges.toString(), "does not exist");

        Path broken = write("broken.json", json.substring(0, json.length() / 2));
        assertMessage(() -> BpeVocabulary.fromHuggingFace(broken, merges), broken.toString(), "malformed JSON");

        Path array = write("array.json", "[1, 2]");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(array, merges), array.toString(), "JSON object");

        Path dupKey = write("dupkey.json", "{\"a\": 0, \"a\": 1}");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(dupKey, merges), dupKey.toString(), "Duplicate field 'a'");

        Path dupId = write("dupid.json", "{\"a\": 0, \"b\": 0}");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(dupId, merges), dupId.toString(), "duplicate id 0");

        Path gap = write("gap.json", "{\"a\": 0, \"b\": 5}");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(gap, merges), gap.toString(), "outside");

        Path text = write("text.json", "{\"a\": \"zero\"}");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(text, merges), text.toString(), "expected an integer");

        Path noSpecial = write("nospecial.json", json.replace("<|endoftext|>", "<|eot|>"));
        assertMessage(() -> BpeVocabulary.fromHuggingFace(noSpecial, merges), noSpecial.toString(), "end-of-text");

        Path badMerges = write("merges_bad.txt", "#version: 0.2\nh e\nq z\n");
        assertMessage(() -> BpeVocabulary.fromHuggingFace(vocab, badMerges), badMerges + " line 3", "'qz'");
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static void assertMessage(Executable call, String... parts) {
        VocabularyException e = assertThrows(VocabularyException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}
