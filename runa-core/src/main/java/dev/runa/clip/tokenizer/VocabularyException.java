package dev.runa.clip.tokenizer;

/** A BPE vocabulary or merges file that cannot be used: the message names the file and the problem. */
public class VocabularyException extends RuntimeException {
    public VocabularyException(String message) {
        super(message);
    }

    public VocabularyException(String message, Throwable cause) {
        super(message, cause);
    }
}
