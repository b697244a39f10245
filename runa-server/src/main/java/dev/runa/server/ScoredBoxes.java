package dev.runa.server;

import dev.runa.ood.BoxResult;
import java.util.List;

/**
 * One request's answer from the batcher, one entry per box in request order.
 *
 * @param results      scores, decision, crop or error of each box (the library's results)
 * @param similarities cosine similarity of each box to each ID class, in class order; null for a
 *                     box without scores
 */
record ScoredBoxes(List<BoxResult> results, List<double[]> similarities) {}
