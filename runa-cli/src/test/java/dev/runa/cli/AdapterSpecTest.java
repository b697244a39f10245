package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The repeatable {@code --adapter [shots=N:]FILE} option of RunaSettingsOptions. */
class AdapterSpecTest {
    @Command(name = "t")
    static final class Host {
        @Mixin
        RunaSettingsOptions settings;
    }

    @Test
    void prefixGivesShotsAndTheLastFileIsTheSingleAdapter() {
        assertEquals(Path.of("a/b.safetensors"), RunaSettingsOptions.adapterPath("shots=5:a/b.safetensors"));
        assertEquals(5, RunaSettingsOptions.adapterShots("shots=5:a/b.safetensors"));
        assertNull(RunaSettingsOptions.adapterShots("a/shots=5:b"));
        assertEquals(Path.of("a/shots=5:b"), RunaSettingsOptions.adapterPath("a/shots=5:b"));

        Host h = new Host();
        new CommandLine(h).parseArgs("--adapter", "shots=1:one.st", "--adapter", "ten.st");
        assertEquals(List.of("shots=1:one.st", "ten.st"), h.settings.adapterSpecs);
        assertEquals(Path.of("ten.st"), h.settings.adapter);

        Host none = new Host();
        new CommandLine(none).parseArgs();
        assertNull(none.settings.adapter);
        assertEquals(List.of(), none.settings.adapterSpecs);
    }
}
