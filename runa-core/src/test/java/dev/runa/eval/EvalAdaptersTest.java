package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.adapter.AdapterProvenance;
import dev.runa.adapter.IncompatibleAdapterException;
import dev.runa.adapter.Shots;
import dev.runa.clip.ModelIdentity;
import dev.runa.io.Sha256;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import dev.runa.settings.SettingMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels, shots, identities and the report entries of eval's adapters, written out by hand. */
class EvalAdaptersTest {
    static final List<String> CLASSES = List.of("square", "circle");
    static final Projection PRETRAINED = new Projection(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);

    static Path write(Path file, String model, int shots) throws Exception {
        AdapterFile.write(
                file,
                new Adapter(
                        new Projection(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                        new AdapterProvenance(
                                model,
                                "",
                                CLASSES,
                                "a photo of a {label}",
                                0.5,
                                FusionMode.EARLY,
                                "x",
                                shots,
                                7,
                                1,
                                5e-6,
                                1.0,
                                Instant.EPOCH)));
        return file;
    }

    @Test
    void labelsShotsWarningsAndReportEntries(@TempDir Path dir) throws Exception {
        Path five = write(dir.resolve("five.safetensors"), "random:tiny", 5);
        Path all = write(dir.resolve("all.safetensors"), "random:tiny", Shots.ALL);
        List<SettingMessage> warnings = new ArrayList<>();
        EvalAdapters a = new EvalAdapters(ModelIdentity.random("random:tiny"), CLASSES, PRETRAINED, warnings::add);

        assertEquals("5-shot", a.add(five, null).label());
        assertEquals(OptionalInt.of(3), a.add(five, 3).shots());
        assertEquals(1, warnings.size());
        assertEquals(
                five + " records 5 shots, --adapter says 3; using 3",
                warnings.get(0).spelled(s -> "--" + s),
                "the CLI's wording, with the setting spelled as its flag");
        EvalAdapter again = a.add(five, null);
        assertEquals("5-shot (five.safetensors)", again.label(), "a second 5-shot adapter is told apart by its file");
        EvalAdapter everything = a.add(all, null);
        assertEquals("all-shot", everything.label());
        assertEquals(OptionalInt.empty(), everything.shots());

        assertEquals("sha256:" + Sha256.of(five), a.adapters().get(0).identity());
        List<Map<String, Object>> report = a.reportEntries();
        assertEquals(4, report.size());
        assertEquals(
                List.of("label", "file", "identity", "shots", "trained_lambda", "seed"),
                List.copyOf(report.get(0).keySet()));
        assertEquals(3, report.get(1).get("shots"));
        assertEquals(null, report.get(3).get("shots"));
        assertEquals(7L, report.get(0).get("seed"));
    }

    @Test
    void anAdapterOfAnotherModelIsRefused(@TempDir Path dir) throws Exception {
        Path other = write(dir.resolve("other.safetensors"), "random:other", 5);
        EvalAdapters a = new EvalAdapters(ModelIdentity.random("random:tiny"), CLASSES, PRETRAINED, w -> {});
        assertThrows(IncompatibleAdapterException.class, () -> a.add(other, null));
    }
}
