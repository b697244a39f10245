package dev.runa.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.Box;
import dev.runa.eval.EvalReport;
import dev.runa.eval.ExperimentResult;
import dev.runa.eval.ReportFiles;
import dev.runa.eval.ReportOptions;
import dev.runa.eval.ScoredSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JFreeReportChartsTest {
    @TempDir
    Path dir;

    private static List<ScoredSample> samples(Random rnd, int n, double shift, String prefix) {
        List<ScoredSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ScoredSample(
                    prefix + i,
                    new Box(0, 0, 5, 5),
                    1,
                    "car",
                    0.9,
                    Map.of("maxsim", rnd.nextGaussian() + shift, "sum", rnd.nextGaussian())));
        }
        return out;
    }

    @Test
    void chartsAreBoundedAndDecode() throws IOException {
        Random rnd = new Random(3);
        ExperimentResult e = new ExperimentResult(
                "RE+GE", "voc", samples(rnd, 40, 1.5, "i"), Map.of("coco", samples(rnd, 30, 0, "o")));
        ReportFiles files = EvalReport.of(List.of(e), Map.of())
                .write(dir, ReportOptions.defaults().withCharts(true, true), new JFreeReportCharts());
        assertEquals(1 + 2, files.charts().size());
        for (Path png : files.charts()) {
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, png + " decodes");
            assertEquals(800, img.getWidth());
            assertEquals(560, img.getHeight());
            assertTrue(distinctColours(img) > 10, png + " is not blank");
        }
    }

    @Test
    void allEqualScoresStillChart() throws IOException {
        ScoredSample s = new ScoredSample("i", new Box(0, 0, 5, 5), 1, "car", 0.9, Map.of("maxsim", 0.5));
        ExperimentResult e = new ExperimentResult("flat", "voc", List.of(s, s), Map.of("ood", List.of(s)));
        ReportFiles f =
                EvalReport.of(List.of(e), Map.of()).write(dir, ReportOptions.defaults(), new JFreeReportCharts());
        assertEquals(2, f.charts().size());
        for (Path p : f.charts()) {
            assertNotNull(ImageIO.read(p.toFile()));
        }
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
