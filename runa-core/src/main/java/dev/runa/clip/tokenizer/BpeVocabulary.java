package dev.runa.clip.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE vocabulary: token strings with their ids, and the ranked merge rules.
 * Immutable and thread-safe. Both supported sources give identical ids for OpenAI CLIP: the 256
 * byte symbols, the same with {@code </w>}, one token per merge, then {@code <|startoftext|>} and
 * {@code <|endoftext|>} (49408 tokens, 48894 merges).
 */
public final class BpeVocabulary {
    /** Marks the last symbol of a word, as in the reference. */
    public static final String END_OF_WORD = "</w>";

    public static final String START_OF_TEXT = "<|startoftext|>";
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** The reference keeps the merges on lines 1 .. 49152-256-2 of the merges file (line 0 is a header). */
    public static final int MAX_MERGES = 49152 - 256 - 2;

    private final String source;
    private final String[] tokens;
    private final Map<String, Integer> ids;
    /** (left id << 32 | right id) -> (rank << 32 | merged id). */
    private final PairTable merges;

    private final int[] byteIds = new int[256];
    private final int[] byteEndIds = new int[256];
    private final int startOfText;
    private final int endOfText;

    private BpeVocabulary(String source, String[] tokens, Map<String, Integer> ids, List<MergeLine> mergeLines) {
        this.source = source;
        this.tokens = tokens;
        this.ids = Map.copyOf(ids);
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteUnicode.of(b));
            byteIds[b] = require(symbol, "the symbol for byte " + b);
            byteEndIds[b] = require(symbol + END_OF_WORD, "the word-final symbol for byte " + b);
        }
        startOfText = require(START_OF_TEXT, "the start-of-text token");
        endOfText = require(END_OF_TEXT, "the end-of-text token");
        PairTable m = new PairTable(mergeLines.size());
        for (int rank = 0; rank < mergeLines.size(); rank++) {
            MergeLine line = mergeLines.get(rank);
            int left = requireMergePart(line, line.left);
            int right = requireMergePart(line, line.right);
            int merged = requireMergePart(line, line.left + line.right);
            long key = pairKey(left, right);
            if (!m.putIfAbsent(key, ((long) rank << 32) | merged)) {
                throw new VocabularyException(
                        line.where() + ": duplicate merge '" + line.left + " " + line.right + "'");
            }
        }
        this.merges = m;
    }

    /**
     * Reads OpenAI's {@code bpe_simple_vocab_16e6.txt.gz}: a header line, then one merge per line
     * ("left right"); only the first {@value #MAX_MERGES} merges are used, as in the reference. The
     * vocabulary is derived from the merges exactly as {@code simple_tokenizer} does.
     *
     * @throws VocabularyException naming the file when it is missing, unreadable, not gzip/UTF-8,
     *                             or has a malformed or duplicate merge
     */
    public static BpeVocabulary fromOpenAiGzip(Path gz) {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(requireFile(gz, "BPE merges file")))) {
            text = decodeUtf8(in.readAllBytes(), gz);
        } catch (IOException e) {
            throw new VocabularyException(
                    "cannot read BPE merges file " + gz + " (expected gzip): " + e.getMessage(), e);
        }
        return fromMerges(gz.toString(), parseMerges(text, gz));
    }

    /**
     * The byte-level vocabulary without any merge: every byte is its own token. Used with
     * random-weight models ({@code random:NAME}), whose embeddings carry no meaning a real
     * vocabulary could match; real checkpoints always come with their own vocabulary files.
     */
    public static BpeVocabulary bytesOnly() {
        return fromMerges("byte-level vocabulary (no merges)", List.of());
    }

    // The vocabulary order of simple_tokenizer: byte symbols, the same with </w>, merge results, specials.
    private static BpeVocabulary fromMerges(String source, List<MergeLine> mergeLines) {
        List<String> vocab = new ArrayList<>(512 + mergeLines.size() + 2);
        for (char c : ByteUnicode.vocabularyOrder()) {
            vocab.add(String.valueOf(c));
        }
        for (char c : ByteUnicode.vocabularyOrder()) {
            vocab.add(c + END_OF_WORD);
        }
        for (MergeLine line : mergeLines) {
            vocab.add(line.left + line.right);
        }
        vocab.add(START_OF_TEXT);
        vocab.add(END_OF_TEXT);
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        for (int id = 0; id < vocab.size(); id++) {
            Integer previous = ids.put(vocab.get(id), id);
            if (previous != null) {
                String where = id >= 512 && id < 512 + mergeLines.size()
                        ? mergeLines.get(id - 512).where()
                        : source;
                throw new VocabularyException(where + ": token '" + vocab.get(id)
                        + "' is already in the vocabulary as id " + previous + " (duplicate merge result)");
            }
        }
        return new BpeVocabulary(source, vocab.toArray(new String[0]), ids, mergeLines);
    }

    /**
     * Reads Hugging Face's {@code vocab.json} (token -> id, ids dense from 0) and {@code merges.txt}
     * ({@code #version} header line, then one merge per line), as shipped with
     * {@code openai/clip-vit-base-patch16}.
     *
     * @throws VocabularyException naming the file when either is missing, unreadable or malformed,
     *                             or has duplicate tokens, ids or merges
     */
    public static BpeVocabulary fromHuggingFace(Path vocabJson, Path mergesTxt) {
        Map<String, Integer> ids = readVocabJson(vocabJson);
        String[] tokens = new String[ids.size()];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= tokens.length) {
                throw new VocabularyException(vocabJson + ": id " + id + " of token '" + e.getKey() + "' is outside 0.."
                        + (tokens.length - 1) + " (ids must be dense)");
            }
            if (tokens[id] != null) {
                throw new VocabularyException(vocabJson + ": duplicate id " + id + " for tokens '" + tokens[id]
                        + "' and '" + e.getKey() + "'");
            }
            tokens[id] = e.getKey();
        }
        String text;
        try {
            text = decodeUtf8(Files.readAllBytes(requireFile(mergesTxt, "BPE merges file")), mergesTxt);
        } catch (IOException e) {
            throw new VocabularyException("cannot read BPE merges file " + mergesTxt + ": " + e.getMessage(), e);
        }
        return new BpeVocabulary(vocabJson + " + " + mergesTxt, tokens, ids, parseMerges(text, mergesTxt));
    }

    private static Map<String, Integer> readVocabJson(Path vocabJson) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonNode root;
        try {
            root = new ObjectMapper(factory)
                    .readTree(requireFile(vocabJson, "BPE vocabulary file").toFile());
        } catch (JsonParseException e) {
            throw new VocabularyException(vocabJson + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new VocabularyException("cannot read BPE vocabulary file " + vocabJson + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new VocabularyException(vocabJson + ": expected a JSON object mapping tokens to ids");
        }
        Map<String, Integer> ids = new HashMap<>(root.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt()) {
                throw new VocabularyException(
                        vocabJson + ": token '" + e.getKey() + "' has id " + e.getValue() + ", expected an integer");
            }
            ids.put(e.getKey(), e.getValue().intValue());
        }
        return ids;
    }

    /**
     * Lines 1 .. {@value #MAX_MERGES} after splitting on '\n', each split on whitespace into exactly two
     * symbols. A file shorter than that ends with the newline's empty piece, which the reference would
     * turn into an empty merge; it is dropped here (the real files are long enough never to reach it).
     */
    private static List<MergeLine> parseMerges(String text, Path file) {
        // Only the used lines are split off: OpenAI's file has 262146 lines, of which 48895 are read.
        List<String> head = new ArrayList<>(MAX_MERGES + 1);
        int from = 0;
        boolean reachedEnd = false;
        while (head.size() < MAX_MERGES + 1) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                head.add(text.substring(from));
                reachedEnd = true;
                break;
            }
            head.add(text.substring(from, nl));
            from = nl + 1;
        }
        String[] lines = head.toArray(new String[0]);
        int end = lines.length;
        if (reachedEnd && end > 1 && PythonText.strip(lines[end - 1]).isEmpty()) {
            end--;
        }
        List<MergeLine> merges = new ArrayList<>(Math.max(0, end - 1));
        for (int i = 1; i < end; i++) {
            String[] parts = PythonText.split(lines[i]);
            if (parts.length != 2) {
                throw new VocabularyException(file + " line " + (i + 1)
                        + ": expected two symbols separated by a space, got '" + lines[i] + "'");
            }
            merges.add(new MergeLine(file, i + 1, parts[0], parts[1]));
        }
        return merges;
    }

    private static String decodeUtf8(byte[] bytes, Path file) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new VocabularyException(file + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
    }

    private static Path requireFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new VocabularyException(what + " " + p + " does not exist or is not a regular file");
        }
        return p;
    }

    private int require(String token, String what) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new VocabularyException(source + ": vocabulary lacks " + what + " '" + token + "'");
        }
        return id;
    }

    private int requireMergePart(MergeLine line, String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new VocabularyException(line.where() + ": merge '" + line.left + " " + line.right
                    + "' uses or makes '" + token + "', which is not in the vocabulary " + source);
        }
        return id;
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Rank and result of merging {@code left} then {@code right}, as {@code rank << 32 | id}; -1 when no rule. */
    long merge(int left, int right) {
        return merges.get(pairKey(left, right));
    }

    /** Id of the symbol for byte {@code b}, or of its word-final form ({@code </w>}). */
    int byteSymbol(int b, boolean wordFinal) {
        return wordFinal ? byteEndIds[b & 0xFF] : byteIds[b & 0xFF];
    }

    /** Where the vocabulary was read from. */
    public String source() {
        return source;
    }

    /** Number of tokens (49408 for OpenAI CLIP). */
    public int size() {
        return tokens.length;
    }

    /** Number of merge rules in use (48894 for OpenAI CLIP). */
    public int mergeCount() {
        return merges.size();
    }

    /** Id of {@code <|startoftext|>} (49406 for OpenAI CLIP). */
    public int startOfTextId() {
        return startOfText;
    }

    /** Id of {@code <|endoftext|>} (49407 for OpenAI CLIP). */
    public int endOfTextId() {
        return endOfText;
    }

    /** The id of {@code token}, if it is in the vocabulary. */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token string (in byte-to-unicode form) for {@code id}. */
    public String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside 0.." + (tokens.length - 1));
        }
        return tokens[id];
    }

    /** All tokens, index = id (an unmodifiable copy). */
    public List<String> tokens() {
        return List.of(tokens);
    }

    private record MergeLine(Path file, int lineNumber, String left, String right) {
        String where() {
            return file + " line " + lineNumber;
        }
    }
}
