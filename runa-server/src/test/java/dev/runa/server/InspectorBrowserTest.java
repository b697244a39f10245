package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.clip.Precision;
import dev.runa.data.Box;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoreKind;
import dev.runa.testing.SyntheticDetectors;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web inspector in headless Chromium (Debian's chromium + chromium-driver): open the page,
 * upload an image, draw a box with the mouse, read the score table and the similarity bars, see an
 * error shown in the page; a screenshot goes to target/inspector.png, and the browser's network
 * log must hold no request to another origin. With an object detector, Detect draws and lists the
 * detections (target/inspector-detect.png).
 */
class InspectorBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void drawScoreAndInspect() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Path image = dir.resolve("scene.png");
        ImageIO.write(scene(480, 320), "png", image.toFile());
        Calibration cal;
        try (RunaDetector plain = TestModels.tiny(8, Precision.FP32)) {
            // A threshold at the median of a few boxes of this scene, so that pages show both decisions.
            var img = ImageDecoder.decode(image);
            List<Box> probe = List.of(
                    new Box(40, 60, 180, 200),
                    new Box(260, 120, 410, 270),
                    new Box(0, 0, 480, 240),
                    new Box(30, 30, 150, 110),
                    new Box(250, 150, 330, 210));
            double[] s = plain.score(img, probe).stream()
                    .mapToDouble(r -> r.scores().maxsim())
                    .toArray();
            cal = Calibration.fit(s, ScoreKind.MAXSIM, 0.5, plain.settings());
        }
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32, cal);
                RunaServer server =
                        RunaServer.start(runa, new ServerConfig("127.0.0.1", 0, 8, 2, null, ServerLimits.DEFAULT))) {
            String base = server.url();
            ChromeDriver driver = browser(dir);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
                driver.get(base + "/");
                wait.until(d -> d.findElement(By.id("model")).getText().contains("random:tiny"));
                // A server without --detector offers no detection.
                assertTrue(driver.findElements(By.id("detect")).isEmpty());
                WebElement file = driver.findElement(By.id("file"));
                ((JavascriptExecutor) driver).executeScript("arguments[0].style.display = 'block';", file);
                file.sendKeys(image.toString());
                WebElement canvas = driver.findElement(By.id("canvas"));
                wait.until(d -> canvas.isDisplayed() && canvas.getSize().getWidth() > 100);
                // Drag from the canvas' upper left quarter to its centre (offsets are from the centre).
                int w = canvas.getSize().getWidth();
                int h = canvas.getSize().getHeight();
                new Actions(driver)
                        .moveToElement(canvas, -w / 2 + 30, -h / 2 + 30)
                        .clickAndHold()
                        .moveByOffset(60, 40)
                        .moveByOffset(60, 40)
                        .release()
                        .perform();
                wait.until(d -> !d.findElements(By.cssSelector("#rows tr td")).isEmpty()
                        && !d.findElement(By.cssSelector("#rows tr td:nth-child(3)"))
                                .getText()
                                .equals("–"));
                List<WebElement> cells = driver.findElements(By.cssSelector("#rows tr:first-child td"));
                assertEquals(8, cells.size());
                assertTrue(
                        TestModels.CLASSES.contains(cells.get(1).getText()),
                        cells.get(1).getText());
                for (int i = 2; i < 7; i++) {
                    Double.parseDouble(cells.get(i).getText());
                }
                assertTrue(
                        List.of("ID", "OOD").contains(cells.get(7).getText()),
                        cells.get(7).getText());
                // The page's numbers are the service's: the drawn box scored through the API agrees.
                String drawn = (String) ((JavascriptExecutor) driver)
                        .executeScript(
                                "return document.querySelector('#rows tr:first-child td:nth-child(3)').textContent;");
                assertFalse(drawn.isEmpty());
                driver.findElement(By.cssSelector("#rows tr:first-child")).click();
                wait.until(d -> d.findElements(By.cssSelector("#sims .sim")).size() == TestModels.CLASSES.size());
                // A second box, then sort by maxsim: both rows stay, now in score order.
                new Actions(driver)
                        .moveToElement(canvas, 20, 0)
                        .clickAndHold()
                        .moveByOffset(80, 60)
                        .release()
                        .perform();
                wait.until(d -> d.findElements(By.cssSelector("#rows tr")).size() == 2
                        && d.findElements(By.xpath("//tbody[@id='rows']//td[3][text()='–']"))
                                .isEmpty());
                driver.findElement(By.cssSelector("th[data-key='maxsim']")).click();
                List<Double> maxsims = new ArrayList<>();
                for (WebElement td : driver.findElements(By.cssSelector("#rows tr td:nth-child(3)"))) {
                    maxsims.add(Double.parseDouble(td.getText()));
                }
                assertTrue(maxsims.get(0) >= maxsims.get(1), "sorted descending: " + maxsims);
                Files.createDirectories(Path.of("target"));
                Files.write(
                        Path.of("target", "inspector.png"),
                        ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
                // Errors show in the page.
                driver.findElement(By.cssSelector("details summary")).click();
                driver.findElement(By.id("paste")).sendKeys("[[1, 2, 3]]");
                driver.findElement(By.id("usePaste")).click();
                wait.until(d -> d.findElement(By.id("error")).isDisplayed());
                assertTrue(driver.findElement(By.id("error")).getText().contains("entry 0"));
                assertNoOtherOrigin(
                        driver.manage().logs().get(LogType.PERFORMANCE).getAll(), base);
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * Headless Chromium with the network log on, its profile under {@code dir}. A second start is
     * tried once, with a fresh profile, when the first does not come up: on the shared, loaded test
     * machine Chromium has once failed to answer chromedriver in time ("chrome not reachable").
     */
    static ChromeDriver browser(Path dir) {
        try {
            return browser(dir, "profile");
        } catch (SessionNotCreatedException e) {
            System.err.println(
                    "InspectorBrowserTest: Chromium did not start (" + e.getRawMessage() + "); trying once more");
            return browser(dir, "profile-retry");
        }
    }

    private static ChromeDriver browser(Path dir, String profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + dir.resolve(profile));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /**
     * A server with an object detector (core's generated YOLOv8-shaped one): upload an image, press
     * Detect, and the page draws and lists the detector's boxes with their label, confidence and
     * OOD decision, the values {@code POST /v1/detect} gives for the same image.
     */
    @Test
    void detectOnAnUploadedImage() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Path model = SyntheticDetectors.write(dir.resolve("det.onnx"), SyntheticDetectors.Kind.YOLOV8, true);
        // 384 x 288 letterboxes to 64 x 48 (+8 rows of padding): 48-pixel blobs on multiples of 48
        // fill one detector cell each.
        Path image = SyntheticDetectors.writePicture(
                dir.resolve("blobs.png"),
                384,
                288,
                new int[] {96, 48, 144, 96, 0xff0000},
                new int[] {192, 144, 240, 192, 0x00ff00},
                new int[] {0, 240, 48, 288, 0x0000c8});
        try (ObjectDetector det = ObjectDetector.open(model, DetectorOptions.defaults(1))) {
            List<String> classes =
                    DetectAndScore.idClasses(det.graph(), det.source(), null).promptLabels();
            Calibration cal;
            try (RunaDetector plain = TestModels.tiny(8, Precision.FP32, null, classes)) {
                var img = ImageDecoder.decode(image);
                List<Box> boxes = det.detect(img).stream().map(o -> o.box()).toList();
                double[] s = plain.score(img, boxes).stream()
                        .mapToDouble(r -> r.scores().maxsim())
                        .toArray();
                cal = Calibration.fit(s, ScoreKind.MAXSIM, 0.5, plain.settings());
            }
            try (RunaDetector runa = TestModels.tiny(8, Precision.FP32, cal, classes);
                    RunaServer server = RunaServer.start(
                            runa, det, new ServerConfig("127.0.0.1", 0, 8, 2, null, ServerLimits.DEFAULT))) {
                String base = server.url();
                JsonNode want = new HttpFixture(base)
                        .post(
                                "/v1/detect",
                                "application/json",
                                DetectEndpointTest.imageOnlyJson(Files.readAllBytes(image)))
                        .json()
                        .get("boxes");
                assertTrue(want.size() >= 3, want.toString());
                ChromeDriver driver = browser(dir);
                try {
                    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
                    driver.get(base + "/");
                    wait.until(d -> d.findElement(By.id("model")).getText().contains("detector det.onnx"));
                    WebElement file = driver.findElement(By.id("file"));
                    ((JavascriptExecutor) driver).executeScript("arguments[0].style.display = 'block';", file);
                    file.sendKeys(image.toString());
                    WebElement detect = driver.findElement(By.id("detect"));
                    wait.until(d -> detect.isDisplayed() && detect.isEnabled());
                    detect.click();
                    wait.until(d -> d.findElements(By.cssSelector("#rows tr")).size() == want.size()
                            && d.findElement(By.id("status")).getText().contains("detected"));
                    List<String> headers = new ArrayList<>();
                    driver.findElements(By.cssSelector("#table th")).forEach(th -> headers.add(th.getText()));
                    assertEquals("detector label", headers.get(1));
                    assertEquals("confidence", headers.get(2));
                    assertEquals("decision", headers.get(headers.size() - 1));
                    int ood = 0;
                    List<WebElement> rows = driver.findElements(By.cssSelector("#rows tr"));
                    for (int i = 0; i < want.size(); i++) {
                        List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
                        assertEquals(10, cells.size());
                        JsonNode w = want.get(i);
                        assertEquals(String.valueOf(i), cells.get(0).getText());
                        assertEquals(w.get("label").asText(), cells.get(1).getText());
                        assertEquals(
                                w.get("confidence").asDouble(),
                                Double.parseDouble(cells.get(2).getText()),
                                5e-5);
                        assertEquals(w.get("best_class").asText(), cells.get(3).getText());
                        assertEquals(
                                w.get("scores").get("maxsim").asDouble(),
                                Double.parseDouble(cells.get(4).getText()),
                                5e-5);
                        String decision = w.get("ood").asBoolean() ? "OOD" : "ID";
                        assertEquals(decision, cells.get(9).getText());
                        ood += w.get("ood").asBoolean() ? 1 : 0;
                    }
                    assertTrue(ood > 0 && ood < want.size(), "both decisions expected, got " + ood + " OOD");
                    // The boxes are drawn: the canvas holds each decision's colour.
                    Long drawn = (Long) ((JavascriptExecutor) driver)
                            .executeScript("const c = document.getElementById('canvas');"
                                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                                    + "let n = 0; for (let i = 0; i < d.length; i += 4) {"
                                    + " if ((d[i] === 0x2e && d[i+1] === 0x7d && d[i+2] === 0x32)"
                                    + " || (d[i] === 0xc6 && d[i+1] === 0x28 && d[i+2] === 0x28)) n++; }"
                                    + "return n;");
                    assertTrue(drawn > 100, "box outlines on the canvas: " + drawn + " pixels");
                    Files.createDirectories(Path.of("target"));
                    Files.write(
                            Path.of("target", "inspector-detect.png"),
                            ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
                    assertNoOtherOrigin(
                            driver.manage().logs().get(LogType.PERFORMANCE).getAll(), base);
                } finally {
                    driver.quit();
                }
            }
        }
    }

    /** Every request the page made went to {@code base} (or stayed in the browser: blob:, data:). */
    static void assertNoOtherOrigin(List<LogEntry> entries, String base) throws Exception {
        int requests = 0;
        List<String> foreign = new ArrayList<>();
        for (LogEntry e : entries) {
            JsonNode m = HttpFixture.JSON.readTree(e.getMessage()).path("message");
            if (!m.path("method").asText().equals("Network.requestWillBeSent")) {
                continue;
            }
            String url = m.path("params").path("request").path("url").asText();
            String document = m.path("params").path("documentURL").asText();
            // Chromium's own start page (chrome://new-tab-page...) loads before ours; any request of
            // our page, and any network request at all, must stay on this origin.
            boolean ours = document.startsWith(base + "/");
            boolean network = url.matches("(?i)(https?|wss?|ftp):.*");
            if (ours) {
                requests++;
            }
            if ((ours || network)
                    && !(url.startsWith(base + "/") || url.startsWith("blob:") || url.startsWith("data:"))) {
                foreign.add(url);
            }
        }
        assertTrue(requests >= 4, "the network log saw only " + requests + " requests");
        assertTrue(foreign.isEmpty(), "requests to other origins: " + foreign);
    }

    /** A sky, a red square and a green circle. */
    static BufferedImage scene(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(90, 150, 230), 0, h, new Color(200, 225, 250)));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(110, 160, 80));
        g.fillRect(0, h * 3 / 4, w, h / 4);
        g.setColor(new Color(200, 40, 40));
        g.fillRect(40, 60, 140, 140);
        g.setColor(new Color(40, 170, 60));
        g.fillOval(260, 120, 150, 150);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(3));
        g.drawOval(260, 120, 150, 150);
        g.dispose();
        return img;
    }
}
