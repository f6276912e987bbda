package dev.backchannel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.network.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {
  /** Host names resolve only through this table; IP literals are parsed, never looked up. */
  private static final Map<String, String[]> DNS = Map.of(
      "hooks.example", new String[] {"93.184.216.34"},
      "inside.example", new String[] {"10.0.0.7"},
      "mixed.example", new String[] {"93.184.216.34", "127.0.0.1"},
      "six.example", new String[] {"2606:2800:220:1:248:1893:25c8:1946"});

  private final WebhookTargets guard = new WebhookTargets(List.of(), WebhookTargetsTest::resolve);

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    if (Cidr.isLiteral(host)) {
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    String[] answers = DNS.get(host);
    if (answers == null) {
      throw new UnknownHostException(host);
    }
    InetAddress[] out = new InetAddress[answers.length];
    for (int i = 0; i < answers.length; i++) {
      out[i] = InetAddress.getByName(answers[i]);
    }
    return out;
  }

  @Test
  void loopbackPrivateMetadataAndIpv6LoopbackAreRefused() {
    assertRefused("http://127.0.0.1:8080/hook", "loopback address");
    assertRefused("http://10.0.0.1/hook", "private address");
    assertRefused("http://169.254.169.254/latest/meta-data/", "cloud metadata address");
    assertRefused("http://[::1]:9000/hook", "loopback address");
  }

  @Test
  void everyOtherInternalRangeIsRefusedToo() {
    for (String url : List.of("http://0.0.0.0/", "http://172.16.5.5/", "http://192.168.1.1/", "http://100.64.0.1/",
        "http://169.254.1.1/", "http://224.0.0.1/", "http://255.255.255.255/", "http://[fe80::1]/",
        "http://[fc00::1]/", "http://[fd00:ec2::254]/", "http://[ff02::1]/", "http://[::]/",
        "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/", "http://127.1/")) {
      assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(WebhookTargets.Refused.class);
    }
  }

  @Test
  void aNameIsCheckedByWhatItResolvesTo() throws Exception {
    assertRefused("https://inside.example/hook", "private address");
    assertRefused("https://mixed.example/hook", "loopback address");
    assertRefused("https://nowhere.example/hook", "host does not resolve");

    WebhookTargets.Target target = guard.check("https://hooks.example/in/abc?x=1#frag");
    assertThat(target.https()).isTrue();
    assertThat(target.host()).isEqualTo("hooks.example");
    assertThat(target.port()).isEqualTo(443);
    assertThat(target.requestUri()).isEqualTo("/in/abc?x=1");
    assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(guard.check("http://six.example:8443").requestUri()).isEqualTo("/");
  }

  @Test
  void onlyHttpAndHttpsWithAHost() {
    assertRefused("ftp://hooks.example/x", "only http and https URLs are allowed");
    assertRefused("file:///etc/passwd", "only http and https URLs are allowed");
    assertRefused("gopher://127.0.0.1:25/", "only http and https URLs are allowed");
    assertRefused("http:///no-host", "the URL names no host");
    assertRefused("http://bad host/", "not a valid URL");
  }

  @Test
  void theAllowListOpensExactlyItsNetworks() throws Exception {
    WebhookTargets local = new WebhookTargets(Cidr.parseAll(List.of("127.0.0.1/32", "10.1.0.0/16")),
        WebhookTargetsTest::resolve);

    assertThat(local.check("http://127.0.0.1:9000/hook").address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(local.check("http://10.1.2.3/").port()).isEqualTo(80);
    assertThatThrownBy(() -> local.check("http://127.0.0.2/")).isInstanceOf(WebhookTargets.Refused.class);
    assertThatThrownBy(() -> local.check("http://10.2.0.1/")).isInstanceOf(WebhookTargets.Refused.class);
    assertThatThrownBy(() -> local.check("http://[::1]/")).isInstanceOf(WebhookTargets.Refused.class);
  }

  @Test
  void everyCheckResolvesAgainSoARebindIsCaught() throws Exception {
    Deque<String> answers = new ArrayDeque<>(List.of("93.184.216.34", "127.0.0.1"));
    WebhookTargets rebinding = new WebhookTargets(List.of(),
        host -> new InetAddress[] {InetAddress.getByName(answers.removeFirst())});

    assertThat(rebinding.check("http://rebind.example/").address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThatThrownBy(() -> rebinding.check("http://rebind.example/"))
        .isInstanceOf(WebhookTargets.Refused.class).hasMessage("loopback address");
  }

  @Test
  void backoffDoublesFromOneMinuteUpToFive() {
    assertThat(List.of(1, 2, 3, 4, 5, 30).stream().map(n -> DeliveryWorker.backoff(n).toSeconds()).toList())
        .containsExactly(60L, 120L, 240L, 300L, 300L, 300L);
  }

  private void assertRefused(String url, String reason) {
    assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(WebhookTargets.Refused.class)
        .hasMessage(reason).message().doesNotContain(url);
  }
}
