package dev.runa.clip.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Test-only conversion of OpenAI's merges file to Hugging Face's vocab.json + merges.txt, written
 * independently of the production loader (its own bytes_to_unicode), with vocab.json entries in a
 * shuffled order so that ids must come from the JSON values, not the order.
 */
final class HuggingFaceExport {
    private HuggingFaceExport() {}

    static void write(Path gz, Path vocabJson, Path mergesTxt) throws IOException {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n", -1);
        List<String> merges = new ArrayList<>();
        for (int i = 1; i <= 49152 - 256 - 2; i++) {
            merges.add(lines[i]);
        }
        List<String> vocab = new ArrayList<>();
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bs.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bs.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bs.add(b);
        }
        List<Integer> cs = new ArrayList<>(bs);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bs.contains(b)) {
                bs.add(b);
                cs.add(256 + n++);
            }
        }
        for (int c : cs) {
            vocab.add(String.valueOf((char) c));
        }
        for (int c : cs) {
            vocab.add((char) c + "</w>");
        }
        for (String m : merges) {
            vocab.add(m.replace(" ", ""));
        }
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vocab.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        for (int id : order) {
            root.put(vocab.get(id), id);
        }
        json.writeValue(vocabJson.toFile(), root);
        Files.writeString(mergesTxt, "#version: 0.2\n" + String.join("\n", merges) + "\n", StandardCharsets.UTF_8);
    }
}
