package dev.runa.clip.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSpecTest {
    @TempDir
    Path tmp;

    @Test
    void existingDirectoryIsLocal() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("org/name"));
        assertEquals(new ModelSpec.Local(dir), ModelSpec.parse(dir.toString()));
    }

    @Test
    void hubIdsWithAndWithoutRevision() {
        assertEquals(
                new ModelSpec.Hub("openai/clip-vit-base-patch16", "main"),
                ModelSpec.parse("openai/clip-vit-base-patch16"));
        assertEquals(
                new ModelSpec.Hub("timm/vit_base_patch16_clip_224.openai", "refs/pr/3"),
                ModelSpec.parse("timm/vit_base_patch16_clip_224.openai@refs/pr/3"));
        assertEquals("org/name@v1", ModelSpec.parse("org/name@v1").toString());
        assertEquals(new ModelSpec.Hub("gpt2", "main"), ModelSpec.parse("gpt2"));
    }

    @Test
    void everythingElseIsOther() {
        for (String s : new String[] {
            "random:tiny",
            "random:vit-b-16",
            "./missing-dir",
            "/abs/missing",
            "a/b/c",
            "org/name@",
            "org/name@../x",
            "org--x/name",
            ""
        }) {
            assertInstanceOf(ModelSpec.Other.class, ModelSpec.parse(s), s);
        }
    }
}
