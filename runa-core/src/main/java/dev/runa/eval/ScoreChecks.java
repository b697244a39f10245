package dev.runa.eval;

/** Input validation shared by the metric functions. */
final class ScoreChecks {
    private ScoreChecks() {}

    static void requireUsable(double[] scores, String setName) {
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException(
                    "the " + setName + " score set is empty: metrics need at least one " + setName + " sample");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(
                        setName + " score #" + i + " is " + scores[i] + ": every score must be a finite number");
            }
        }
    }
}
