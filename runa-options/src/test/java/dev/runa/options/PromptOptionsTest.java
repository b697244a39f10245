package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.LabelSet;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.PromptSet;
import dev.runa.setup.DetectorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** --classes, --template, --lambda: parsed, and turned into the library's DetectorSettings. */
class PromptOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreTheLibrarys() throws IOException {
        PromptOptions o = Parsing.parse().prompts;
        assertEquals("voc", o.classes());
        assertFalse(o.classesAuto());
        assertEquals(LabelSet.VOC, o.labelSet());
        DetectorSettings s = o.detectorSettings(o.labelSet());
        assertEquals(DetectorSettings.defaults(PromptSet.of(LabelSet.VOC.promptLabels())), s);
        assertEquals(FeatureFusion.DEFAULT_LAMBDA, s.lambda());
        assertEquals(PromptSet.DEFAULT_TEMPLATE, s.prompts().template());
    }

    @Test
    void givenValuesReachTheDetectorSettings() throws IOException {
        Path file = Files.writeString(tmp.resolve("ids.txt"), "red car\nblue car\n");
        PromptOptions o =
                Parsing.parse("--classes", "@" + file, "--template", "a {label} on a road", "--lambda", "0.25").prompts;
        DetectorSettings s = o.detectorSettings(o.labelSet());
        assertEquals(List.of("red car", "blue car"), s.prompts().labels());
        assertEquals("a {label} on a road", s.prompts().template());
        assertEquals(0.25, s.lambda());
        assertTrue(Parsing.parse("--classes", " Auto ").prompts.classesAuto());
    }

    @Test
    void badValuesAreRefusedNamingTheFlag() {
        ParameterException p = assertThrows(ParameterException.class, () -> Parsing.parse("--lambda", "half"));
        assertTrue(p.getMessage().contains("'--lambda'"), p.getMessage());
        PromptOptions missing = Parsing.parse("--classes", "@" + tmp.resolve("none.txt")).prompts;
        assertThrows(IOException.class, missing::labelSet);
    }
}
