package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The recorded forms, written out by hand, and the revision adapters record. */
class ModelIdentityTest {
    @Test
    void recordedFormsAndRevisions() {
        ModelIdentity hub =
                ModelIdentity.hub("openai/clip-vit-base-patch16", "57c216476eefef5ab752ec549e440a49ae4ae5f3");
        assertEquals("openai/clip-vit-base-patch16@57c216476eefef5ab752ec549e440a49ae4ae5f3", hub.text());
        assertEquals("57c216476eefef5ab752ec549e440a49ae4ae5f3", hub.revision());

        // A directory whose name holds '@' is still a local model without a revision.
        ModelIdentity local = ModelIdentity.local("00112233aabbccdd", Path.of("/models/clip@v2"), "0123456789ab");
        assertEquals("local:sha256:00112233aabbccdd", local.text());
        assertEquals("/models/clip@v2#0123456789ab", local.legacy());
        assertEquals("", local.revision());
        // An adapter recorded with the earlier form is checked against that form; anything else against the current.
        assertEquals("/models/clip@v2#0123456789ab", local.matching("/models/clip@v2#0123456789ab"));
        assertEquals(local.text(), local.matching("/models/other#0123456789ab"));
        assertEquals(local.text(), local.matching(null));

        ModelIdentity random = ModelIdentity.random("random:tiny");
        assertEquals("random:tiny", random.toString());
        assertEquals("", random.revision());
    }

    @Test
    void onlyHubIdentitiesHaveRevisions() {
        assertThrows(
                IllegalArgumentException.class, () -> new ModelIdentity(ModelIdentity.Source.LOCAL, "/m#x", "abc", ""));
    }
}
