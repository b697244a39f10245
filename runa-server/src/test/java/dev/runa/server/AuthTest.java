package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runa.clip.Precision;
import dev.runa.ood.RunaDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --token-file: every route but GET /healthz needs the bearer token; the file's trailing whitespace is not part of it. */
class AuthTest {
    @TempDir
    Path dir;

    @Test
    void tokenGuardsEveryRouteButHealth() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, "s3cret-token\n  \n");
        String token = ServeCommand.readToken(f);
        assertEquals("s3cret-token", token);
        byte[] image = TestModels.png(64, 48, 3);
        byte[] body = HttpFixture.jsonBody(image, new double[][] {{1, 1, 40, 40}});
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32);
                RunaServer server =
                        RunaServer.start(runa, new ServerConfig("127.0.0.1", 0, 8, 1, token, ServerLimits.DEFAULT))) {
            HttpFixture http = new HttpFixture(server.url());
            assertEquals(200, http.get("/healthz").status());
            String[][] wrong = {
                {},
                {"Authorization", "Bearer wrong"},
                {"Authorization", "Bearer s3cret-token2"},
                {"Authorization", "s3cret-token"},
                {"Authorization", "Bearer s3cret-toke"},
                {"Authorization", "Basic czNjcmV0"}
            };
            for (String[] h : wrong) {
                for (String path : new String[] {"/", "/v1/info", "/metrics", "/inspector.js"}) {
                    ServerEndpointsTest.assertError(http.get(path, h), 401, "Authorization");
                }
                ServerEndpointsTest.assertError(
                        http.post("/v1/score", "application/json", body, h), 401, "Authorization");
            }
            String[] ok = {"Authorization", "Bearer s3cret-token"};
            assertEquals(200, http.get("/v1/info", ok).status());
            assertEquals(200, http.get("/metrics", ok).status());
            assertEquals(200, http.get("/", ok).status());
            assertEquals(
                    200, http.post("/v1/score", "application/json", body, ok).status());
        }
    }
}
