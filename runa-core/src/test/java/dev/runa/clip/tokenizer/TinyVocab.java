package dev.runa.clip.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Hand-made miniature vocabularies for tests that must run without ../shared. */
final class TinyVocab {
    /**
     * Ranks 0..6; ids are 512 + rank: he=512, ll=513, lo&lt;/w&gt;=514, hell=515, hello&lt;/w&gt;=516,
     * lo=517, low&lt;/w&gt;=518, then &lt;|startoftext|&gt;=519, &lt;|endoftext|&gt;=520.
     */
    static final List<String> MERGES = List.of("h e", "l l", "l o</w>", "he ll", "hell o</w>", "l o", "lo w</w>");

    private TinyVocab() {}

    static Path writeGz(Path dir, String name, String content) throws IOException {
        return writeGz(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path writeGz(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
        return p;
    }

    static Path openAi(Path dir) throws IOException {
        return writeGz(dir, "tiny.txt.gz", "\"tiny#version: 0.2\n" + String.join("\n", MERGES) + "\n");
    }

    /** vocab.json + merges.txt with the same ids as {@link #openAi}. */
    static Path[] huggingFace(Path dir) throws IOException {
        BpeVocabulary v = BpeVocabulary.fromOpenAiGzip(openAi(dir));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        for (int id = v.size() - 1; id >= 0; id--) {
            root.put(v.token(id), id);
        }
        Path vocab = dir.resolve("vocab.json");
        json.writeValue(vocab.toFile(), root);
        Path merges = dir.resolve("merges.txt");
        Files.writeString(merges, "#version: 0.2\n" + String.join("\n", MERGES) + "\n");
        return new Path[] {vocab, merges};
    }
}
