package dev.runa.cli;

import java.util.Map;
import java.util.stream.Collectors;

/** The end-of-run line that counts failures by reason: "2 truncated image, 1 box has no area". */
final class FailureCounts {
    private FailureCounts() {}

    static String describe(Map<String, Integer> byReason) {
        return byReason.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
