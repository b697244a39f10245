package dev.runa.testing;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.adapter.AdapterProvenance;
import dev.runa.adapter.Shots;
import dev.runa.clip.LoadedClip;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Adapter files for tests: the model's own projection, recorded for any base model and classes. */
public final class TestAdapters {
    private TestAdapters() {}

    /**
     * Writes an adapter whose projection is {@code clip}'s pretrained one (so it fits the model's
     * shape), recorded as trained for {@code baseModel} and {@code classes}.
     */
    public static Path write(Path file, LoadedClip clip, String baseModel, List<String> classes) throws IOException {
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
}
