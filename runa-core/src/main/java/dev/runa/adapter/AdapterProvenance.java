package dev.runa.adapter;

import dev.runa.ood.FusionMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a fine-tuned projection came from: what it may be used with (base model, classes, prompt
 * template) and how it was trained, so a mismatched use can be refused and a result can be
 * reproduced.
 *
 * @param baseModel      identity of the CLIP checkpoint whose projection was fine-tuned (hub id, directory or {@code random:NAME})
 * @param baseRevision   the checkpoint's revision (hub commit); empty when it has none
 * @param classes        the ID prompt labels, in class order
 * @param promptTemplate prompt template with a {@code {label}} placeholder
 * @param lambda         fusion weight of the regional view the adapter is meant to be scored with
 * @param fusion         early or late fusion
 * @param views          canonical description of the view options of the training crops
 * @param shots          shots per class ({@link Shots#ALL} for all)
 * @param seed           seed of the shot draw and the shuffling
 * @param epochs         training epochs
 * @param learningRate   AdamW learning rate
 * @param finalLoss      mean training loss after the last epoch
 * @param created        when the adapter was made
 */
public record AdapterProvenance(
        String baseModel,
        String baseRevision,
        List<String> classes,
        String promptTemplate,
        double lambda,
        FusionMode fusion,
        String views,
        int shots,
        long seed,
        int epochs,
        double learningRate,
        double finalLoss,
        Instant created) {
    public AdapterProvenance {
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(baseRevision, "baseRevision");
        classes = List.copyOf(classes);
        Objects.requireNonNull(promptTemplate, "promptTemplate");
        Objects.requireNonNull(fusion, "fusion");
        Objects.requireNonNull(views, "views");
        Objects.requireNonNull(created, "created");
        if (baseModel.isBlank()) {
            throw new IllegalArgumentException("adapter base model is empty");
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("adapter class list is empty");
        }
        if (shots < Shots.ALL) {
            throw new IllegalArgumentException("adapter shots must be >= 0 or " + Shots.ALL + ", got " + shots);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("adapter epochs must be >= 0, got " + epochs);
        }
    }
}
