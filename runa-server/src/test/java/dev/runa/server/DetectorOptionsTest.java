package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.adapter.AdapterProvenance;
import dev.runa.adapter.IncompatibleAdapterException;
import dev.runa.adapter.Shots;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.io.Sha256;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code runa serve} opens its detector through the library's one builder, so that it accepts the
 * adapters {@code runa score} accepts: also one recorded under a local model's earlier identity form.
 */
class DetectorOptionsTest {
    @TempDir
    Path tmp;

    private static Path adapter(Path file, LoadedClip clip, String baseModel, List<String> classes) throws Exception {
        AdapterFile.write(
                file,
                new Adapter(
                        RunaDetector.pretrainedProjection(clip),
                        new AdapterProvenance(
                                baseModel,
                                "",
                                classes,
                                PromptSet.DEFAULT_TEMPLATE,
                                0.5,
                                FusionMode.EARLY,
                                BoxViewOptions.DEFAULT.describe(),
                                Shots.ALL,
                                1L,
                                1,
                                1e-5,
                                0.1,
                                Instant.parse("2026-11-27T00:00:00Z"))));
        return file;
    }

    @Test
    void anAdapterInTheEarlierIdentityFormIsAcceptedOneForOtherClassesIsNot() throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 3);
        List<String> classes = List.of("cat", "dog");
        Path legacy;
        Path otherClasses;
        try (LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withOffline(true)), EncoderOptions.defaults())
                .load(model.toString())) {
            legacy = adapter(
                    tmp.resolve("old.safetensors"), clip, clip.modelIdentity().legacy(), classes);
            otherClasses = adapter(tmp.resolve("other.safetensors"), clip, clip.identity(), List.of("cat", "cow"));
        }
        DetectorOptions options = CommandLine.populateCommand(
                new DetectorOptions(),
                "--model",
                model.toString(),
                "--classes",
                "cat,dog",
                "--threads",
                "1",
                "--adapter",
                legacy.toString());
        try (RunaDetector d = options.open(8)) {
            assertEquals("sha256:" + Sha256.of(legacy), d.settings().adapter());
            assertEquals(8, d.options().maxViewsPerCall());
        }
        options.adapter = otherClasses;
        assertThrows(IncompatibleAdapterException.class, () -> options.open(8));
    }
}
