package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.eval.EvalScoresCsv;
import dev.runa.eval.OodMetrics;
import dev.runa.eval.ScoresCsv;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runa metrics --scores F.csv}: prints the benchmark metrics of a {@code label,score} file as
 * one JSON document. Other tools parse this output, so its keys are a contract.
 */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description = {
            "Computes AUROC, AUPR-In, AUPR-Out, FPR95 (VOS definition) and strict FPR95 of ID vs OOD scores.",
            "Prints one JSON document: {\"n_id\", \"n_ood\", \"auroc\", \"aupr_in\", \"aupr_out\", \"fpr95\", \"fpr95_strict\"}"
                    + " with fractions in [0, 1]."
        })
public final class MetricsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--scores",
            required = true,
            paramLabel = "F.csv",
            description = "CSV rows 'label,score': label ID or OOD (any case), score higher = more ID; header optional."
                    + " Or the scores.csv eval writes (see --experiment, --ood-set, --score).")
    Path scores;

    @Option(
            names = "--experiment",
            paramLabel = "NAME",
            description = "With eval's scores.csv: the experiment (e.g. 'RE+GE'); needed when it has several")
    String experiment;

    @Option(
            names = "--ood-set",
            paramLabel = "NAME",
            description = "With eval's scores.csv: the OOD set; needed when it has several")
    String oodSet;

    @Option(
            names = "--score",
            defaultValue = "maxsim",
            paramLabel = "KEY",
            description = "With eval's scores.csv: the score column (default: ${DEFAULT-VALUE})")
    String score;

    @Override
    public Integer call() throws Exception {
        try {
            OodMetrics m = (EvalScoresCsv.isEvalScores(scores)
                            ? EvalScoresCsv.read(scores, experiment, oodSet, score)
                            : ScoresCsv.read(scores))
                    .metrics();
            return print(m);
        } catch (ScoresCsv.MalformedScoresException e) {
            throw new IllegalArgumentException(
                    e.getMessage().replace("; choose one", "; choose one with --experiment / --ood-set"), e);
        }
    }

    private int print(OodMetrics m) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.put("n_id", m.nId());
        json.put("n_ood", m.nOod());
        json.put("auroc", m.auroc());
        json.put("aupr_in", m.auprIn());
        json.put("aupr_out", m.auprOut());
        json.put("fpr95", m.fpr95());
        json.put("fpr95_strict", m.fpr95Strict());
        spec.commandLine().getOut().println(mapper.writeValueAsString(json));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
