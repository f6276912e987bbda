package dev.backchannel.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void ipv4NetworksContainTheirAddressesOnly() {
    Cidr network = Cidr.parse("172.16.0.0/12").orElseThrow();

    assertThat(network.contains("172.16.0.1")).isTrue();
    assertThat(network.contains("172.31.255.255")).isTrue();
    assertThat(network.contains("172.32.0.0")).isFalse();
    assertThat(network.contains("::1")).isFalse();
  }

  @Test
  void ipv6NetworksAndBareAddressesWork() {
    assertThat(Cidr.parse("fe80::/10").orElseThrow().contains("fe80::1")).isTrue();
    assertThat(Cidr.parse("fe80::/10").orElseThrow().contains("fec0::1")).isFalse();
    assertThat(Cidr.parse("::1").orElseThrow().contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(Cidr.parse("10.1.2.3").orElseThrow().contains("10.1.2.4")).isFalse();
  }

  @Test
  void malformedEntriesAreIgnoredAndNeverResolved() {
    List<Cidr> parsed = Cidr.parseAll(List.of("not-a-network", "10.0.0.0/99", "localhost", "1.2.3.4/x", " 127.0.0.0/8 "));

    assertThat(parsed).hasSize(1);
    assertThat(Cidr.anyContains(parsed, "127.0.0.1")).isTrue();
    assertThat(Cidr.anyContains(parsed, "localhost")).isFalse();
    assertThat(Cidr.anyContains(parsed, null)).isFalse();
  }
}
