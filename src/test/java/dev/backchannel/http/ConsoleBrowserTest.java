package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The console in headless Chromium, driven over the DevTools protocol: sign in, open a channel,
 * see a message posted over HTTP arrive live, claim and ack from the page. Without a browser the
 * test says so on stderr and is skipped, except under CI=true, where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ConsoleBrowserTest extends ApiTest {
  private static final Duration LIVE_LIMIT = Duration.ofSeconds(2);
  private static final Path SCREENSHOT = Path.of("target", "console-screenshot.png");

  private Chromium browser;

  @BeforeAll
  void startBrowser() throws Exception {
    Path binary = Chromium.find();
    if (binary == null) {
      String message = "NO CHROMIUM FOUND: the console browser test cannot run. Install Debian's `chromium` "
          + "(apt-get install chromium; .ci/run does) or set BACKCHANNEL_CHROMIUM to the browser binary.";
      System.err.println("\n************************************************************\n" + message
          + "\n************************************************************\n");
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " CI=true, where a browser is required.");
      }
      Assumptions.abort(message);
    }
    browser = Chromium.start(binary);
  }

  @AfterAll
  void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private boolean waitFor(String expression) throws InterruptedException {
    return browser.waitFor(expression, Duration.ofSeconds(10));
  }

  private static String js(String text) {
    return json("s", text).get("s").toString();
  }

  @Test
  void aMessagePostedOverHttpAppearsLiveAndCanBeClaimedAndAckedFromThePage() throws Exception {
    Agent agent = newAgent();
    String dlq = claimableChannel(agent.key());
    String channel = claimableChannel(agent.key(), "max_deliveries", 1, "dead_letter_channel", dlq);
    String first = postId(agent.key(), channel, "already there");

    browser.navigate(api.baseUrl() + "/console");
    assertThat(waitFor("document.readyState === 'complete' && !!document.getElementById('key')")).isTrue();
    browser.eval("document.getElementById('key').value = " + js(agent.key())
        + "; document.getElementById('signin').click(); true");
    assertThat(waitFor("document.body.dataset.state === 'signed-in'"))
        .as(browser.eval("document.getElementById('signin-error').textContent").asText()).isTrue();
    assertThat(browser.eval("location.href").asText()).doesNotContain(agent.key());
    assertThat(browser.eval("sessionStorage.getItem('backchannel.console.key')").asText()).isEqualTo(agent.key());

    assertThat(waitFor("!!document.querySelector('[data-channel=\"" + channel + "\"]')")).isTrue();
    browser.eval("document.querySelector('#channels [data-channel=\"" + channel + "\"]').click(); true");
    assertThat(waitFor("document.body.dataset.stream === 'open'")).isTrue();
    assertThat(browser.eval("document.getElementById('messages').innerText").asText()).contains("already there");

    String content = "live " + System.nanoTime();
    long posted = System.nanoTime();
    String id = postId(agent.key(), channel, content);
    assertThat(browser.waitFor("document.getElementById('messages').innerText.includes(" + js(content) + ")",
        LIVE_LIMIT)).as("the message is on the page within " + LIVE_LIMIT).isTrue();
    System.err.printf("console: the message appeared %d ms after the POST%n", (System.nanoTime() - posted) / 1_000_000);

    String row = "document.querySelector('tr[data-message=\"" + id + "\"]')";
    browser.eval(row + ".querySelector('[data-action=claim]').click(); true");
    assertThat(waitFor(row + ".dataset.state === 'claimed'")).isTrue();
    JsonNode claimed = message(agent.key(), channel, id);
    assertThat(claimed.path("claimed_by").isNull()).isFalse();

    browser.eval(row + ".querySelector('[data-action=ack]').click(); true");
    assertThat(waitFor(row + ".dataset.state === 'acked'")).isTrue();
    assertThat(message(agent.key(), channel, id).path("acknowledged_by").size()).isEqualTo(1);

    assertThat(api.post("/v1/messages/" + first + "/claim", json()).key(agent.key()).send().status()).isEqualTo(200);
    assertThat(api.post("/v1/messages/" + first + "/nack", json("reason", "broken on purpose")).key(agent.key())
        .send().status()).isEqualTo(200);
    browser.eval("document.getElementById('content').value = 'from the page'; "
        + "document.getElementById('post').click(); true");
    assertThat(waitFor("document.getElementById('messages').innerText.includes('from the page')")).isTrue();
    assertThat(api.get("/v1/channels/" + channel + "/messages?since=0").key(agent.key()).send().body())
        .contains("from the page");
    assertThat(waitFor("document.getElementById('depth').textContent === '1'"
        + " && document.getElementById('dead-count').textContent === '1'"))
        .as(browser.eval("document.getElementById('stats').innerText").asText()).isTrue();
    assertThat(browser.eval("document.getElementById('dead-letters').innerText").asText())
        .contains("already there", "broken on purpose");
    assertThat(waitFor("!document.querySelector('tr[data-message=\"" + first + "\"]')"))
        .as("the dead-lettered message leaves the channel's list").isTrue();

    browser.screenshot(SCREENSHOT);
    assertThat(Files.size(SCREENSHOT)).isGreaterThan(1000);
  }

  private JsonNode message(String key, String channel, String id) {
    for (JsonNode message : api.get("/v1/channels/" + channel + "/messages?since=0").key(key).send().json()
        .path("data")) {
      if (message.path("id").asText().equals(id)) {
        return message;
      }
    }
    throw new AssertionError("message " + id + " not listed");
  }
}
