package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.adapter.IncompatibleAdapterException;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.io.Sha256;
import dev.runa.ood.RunaDetector;
import dev.runa.testing.TestAdapters;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Path;
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

    @Test
    void anAdapterInTheEarlierIdentityFormIsAcceptedOneForOtherClassesIsNot() throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 3);
        List<String> classes = List.of("cat", "dog");
        Path legacy;
        Path otherClasses;
        try (LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withOffline(true)), EncoderOptions.defaults())
                .load(model.toString())) {
            legacy = TestAdapters.write(
                    tmp.resolve("old.safetensors"), clip, clip.modelIdentity().legacy(), classes);
            otherClasses =
                    TestAdapters.write(tmp.resolve("other.safetensors"), clip, clip.identity(), List.of("cat", "cow"));
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
