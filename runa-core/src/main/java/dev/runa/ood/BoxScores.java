package dev.runa.ood;

/**
 * All ID scores of one box (higher = more in-distribution), plus the index of the most similar
 * ID class.
 *
 * @param maxsim     RUNA's score, {@code max_i s_i}
 * @param mcmT1      {@code max_i softmax(s)_i}
 * @param mcmT001    {@code max_i softmax(s / 0.01)_i}
 * @param sum        {@code sum_i s_i}
 * @param energyT001 {@code 0.01 * logsumexp(s / 0.01)}
 * @param bestClass  index of the ID prompt with the highest similarity
 */
public record BoxScores(double maxsim, double mcmT1, double mcmT001, double sum, double energyT001, int bestClass) {

    /** The score of the given kind. */
    public double get(ScoreKind kind) {
        return switch (kind) {
            case MAXSIM -> maxsim;
            case MCM_T1 -> mcmT1;
            case MCM_T001 -> mcmT001;
            case SUM -> sum;
            case ENERGY_T001 -> energyT001;
        };
    }
}
