package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Runs the web page at {@code GET /} in a real browser: Debian's headless Chromium driven by
 * Selenium through Debian's chromedriver ({@code apt-get install chromium chromium-driver}, which
 * {@code .ci/run} does). The page uploads files through the same {@code POST /caption} as curl,
 * so its caption must equal the JSON API's for the same file.
 *
 * <p>Skipped, with the reason printed, only where Chromium or chromedriver is not installed;
 * override their paths with {@code -Dcaptioner.chromium=...} and {@code -Dcaptioner.chromedriver=...}.
 * A screenshot of each page shown is written to {@code target/web-page/}.
 */
@Tag("slow")
class WebPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Path profile;
    private static ChromeDriver browser;

    private final List<CaptionServer> servers = new ArrayList<>();
    @TempDir Path dir;

    @BeforeAll
    static void startBrowser() throws IOException {
        Path chromium = Path.of(System.getProperty("captioner.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("captioner.chromedriver", "/usr/bin/chromedriver"));
        String reason = "no Chromium at " + chromium + " or no chromedriver at " + driver
                + " (apt-get install chromium chromium-driver): browser test skipped";
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
            System.err.println(reason);
        }
        assumeTrue(Files.isExecutable(chromium) && Files.isExecutable(driver), reason);
        profile = Files.createTempDirectory("captioner-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // No sandbox (CI runs as root); no background traffic, which a closed network refuses.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1100,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void stopServers() {
        servers.forEach(CaptionServer::stop);
    }

    private CaptionServer open(Consumer<CaptionServer.Builder> options) {
        CaptionServer.Builder b = CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO))
                .setModelName("browser-test").optPort(0).optShutdownGrace(Duration.ofSeconds(3));
        options.accept(b);
        CaptionServer server = b.build().start();
        servers.add(server);
        browser.get(server.uri() + "/");
        waitFor(() -> browser.findElement(By.id("model")).getText().equals("browser-test"));
        return server;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void upload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).until(d -> condition.getAsBoolean());
    }

    private static String awaitCaption() {
        waitFor(() -> byId("answer").isDisplayed() || byId("error").isDisplayed());
        assertThat(byId("error").isDisplayed()).as("error shown: %s", byId("error").getText()).isFalse();
        return byId("caption").getText();
    }

    private static String awaitError() {
        waitFor(() -> byId("error").isDisplayed());
        return byId("error").getText();
    }

    private static void screenshot(String name) throws IOException {
        Path out = Path.of("target", "web-page");
        Files.createDirectories(out);
        Files.write(out.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void uploadedPngShowsTheSameCaptionAsTheJsonApi() throws IOException {
        CaptionServer server = open(b -> { });
        byte[] png = TestImages.encoded("png", 48, 32);

        upload(file("shapes.png", png));
        String shown = awaitCaption();

        HttpResponse<String> api = new TestClient(server.uri()).postImage("", "shapes.png", "image/png", png);
        JsonObject json = TestClient.json(api);
        assertThat(shown).isEqualTo(json.get("caption").getAsString()).isEqualTo("an image of 48x32 pixels");
        assertThat(byId("score").getText()).contains(String.format(java.util.Locale.ROOT, "%.3f",
                json.get("score").getAsDouble()));
        assertThat(byId("preview").isDisplayed()).isTrue();
        screenshot("caption");
    }

    @Test
    void nbestShowsTheAlternativesWithTheirScores() throws IOException {
        CaptionServer server = open(b -> { });
        byte[] png = TestImages.encoded("png", 40, 30);
        byId("nbest").sendKeys("3");

        upload(file("shapes.png", png));
        awaitCaption();

        JsonArray expected = TestClient.json(new TestClient(server.uri())
                .postImage("nbest=3", "shapes.png", "image/png", png)).getAsJsonArray("alternatives");
        List<WebElement> rows = browser.findElements(By.cssSelector("#alternatives tbody tr"));
        assertThat(byId("alternatives").isDisplayed()).isTrue();
        assertThat(rows).hasSize(expected.size()).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            JsonObject alt = expected.get(i).getAsJsonObject();
            assertThat(cells.get(1).getText()).isEqualTo(alt.get("caption").getAsString());
            assertThat(cells.get(2).getText()).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f",
                    alt.get("score").getAsDouble()));
        }
    }

    @Test
    void textFileShowsTheServersReasonAsAReadableMessage() throws IOException {
        open(b -> { });

        upload(file("note.txt", "hello, I am not a picture\n".getBytes(StandardCharsets.UTF_8)));
        String error = awaitError();

        assertThat(error).contains("could not caption this file", "note.txt", "not a supported image format");
        assertThat(byId("answer").isDisplayed()).isFalse();
        screenshot("not-an-image");
    }

    @Test
    void uploadOverTheLimitShowsThatItIsTooLarge() throws IOException {
        open(b -> b.optMaxUploadBytes(20_000));

        upload(file("big.png", TestImages.noisePng(100, 100)));
        String error = awaitError();

        assertThat(error).contains("too large", "20000 bytes");
    }

    @Test
    void aServerWithATokenAsksForItThenCaptions() throws IOException {
        open(b -> b.optToken("s3cret"));
        assertThat(byId("token-option").isDisplayed()).isFalse();

        upload(file("a.png", TestImages.encoded("png", 20, 10)));
        String error = awaitError();

        assertThat(error).contains("needs an access token", "missing bearer token");
        assertThat(byId("token-option").isDisplayed()).isTrue();
        byId("token").sendKeys("s3cret");
        byId("again").click();
        assertThat(awaitCaption()).isEqualTo("an image of 20x10 pixels");
    }

    @Test
    void attentionInTheAnswerDrawsEachWordsMapOverTheImage() throws IOException {
        open(b -> { });
        upload(file("square.png", TestImages.encoded("png", 64, 64)));
        awaitCaption();
        waitFor(() -> ((Number) script("return document.getElementById('preview').naturalWidth")).intValue() == 64);

        // A 2 x 2 grid: "top" looked at the top-left cell, "bottom" at the bottom-right one.
        script("captionerPage.show({caption: 'top bottom', score: -1.5, tokens: ['top', 'bottom'], model: 'm',"
                + " elapsed_ms: 1, attention: {height: 2, width: 2, image_width: 64, image_height: 64,"
                + " tokens: [[1, 0, 0, 0], [0, 0, 0, 1]]}})");
        List<WebElement> words = browser.findElements(By.cssSelector("#words button"));
        assertThat(words).extracting(WebElement::getText).containsExactly("top", "bottom");
        words.get(1).click();

        waitFor(() -> "1".equals(byId("overlay").getAttribute("data-word")));
        double topLeft = overlayAlpha(0.1, 0.1);
        double bottomRight = overlayAlpha(0.9, 0.9);
        assertThat(bottomRight).as("the attended corner stays bright").isLessThan(60);
        assertThat(topLeft).as("the rest is darkened").isGreaterThan(150);
        assertThat(words.get(1).getAttribute("aria-pressed")).isEqualTo("true");
        screenshot("attention");
    }

    /** Returns the overlay's alpha (0 clear .. 255 dark) at a point given as fractions of its size. */
    private static double overlayAlpha(double fx, double fy) {
        return ((Number) script("const c = document.getElementById('overlay');"
                + " const x = Math.floor(c.width * arguments[0]), y = Math.floor(c.height * arguments[1]);"
                + " return c.getContext('2d').getImageData(x, y, 1, 1).data[3];", fx, fy)).doubleValue();
    }

    private static Object script(String code, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(code, args);
    }
}
