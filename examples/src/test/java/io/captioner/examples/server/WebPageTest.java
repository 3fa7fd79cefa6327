package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web page's files as HTTP serves them; {@link WebPageBrowserTest} runs the page itself. */
class WebPageTest {

    private CaptionServer server;
    private TestClient client;

    @BeforeEach
    void startServer() {
        server = CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO)).setModelName("page-test")
                .optPort(0).build().start();
        client = new TestClient(server.uri());
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void rootServesThePageWithItsScriptAndStylesFromThisServer() {
        HttpResponse<String> page = client.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"/page.js\"", "href=\"/page.css\"", "type=\"file\"");
        assertThat(client.get("/page.js").headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/javascript"));
        assertThat(client.get("/page.css").headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/css"));
    }

    @Test
    void pageLoadsNothingFromAnotherHostSoItWorksOffline() {
        Pattern otherHost = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");
        for (String file : new String[] {"/", "/page.js", "/page.css"}) {
            String body = client.get(file).body();
            assertThat(otherHost.matcher(body).find()).as("%s names no other host", file).isFalse();
        }
        String policy = client.get("/").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'");
    }
}
