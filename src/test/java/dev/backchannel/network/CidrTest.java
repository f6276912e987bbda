package dev.backchannel.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @Test
  void ipv4NetworksContainTheirAddresses() {
    Cidr net = Cidr.parse("10.0.0.0/8").orElseThrow();
    assertThat(net.contains("10.1.2.3")).isTrue();
    assertThat(net.contains("11.0.0.1")).isFalse();
  }

  @Test
  void prefixesThatAreNotAByteBoundaryWork() {
    Cidr net = Cidr.parse("192.168.4.0/22").orElseThrow();
    assertThat(net.contains("192.168.7.255")).isTrue();
    assertThat(net.contains("192.168.8.0")).isFalse();
    assertThat(net.contains("192.168.3.255")).isFalse();
  }

  @Test
  void aBareAddressIsASingleHost() {
    Cidr host = Cidr.parse("127.0.0.1").orElseThrow();
    assertThat(host.prefix()).isEqualTo(32);
    assertThat(host.contains("127.0.0.1")).isTrue();
    assertThat(host.contains("127.0.0.2")).isFalse();
  }

  @Test
  void zeroPrefixContainsEveryAddressOfItsFamily() {
    assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().contains("203.0.113.9")).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().contains("::1")).isFalse();
  }

  @Test
  void ipv6NetworksWork() {
    Cidr net = Cidr.parse("2001:db8::/32").orElseThrow();
    assertThat(net.contains("2001:db8:1::5")).isTrue();
    assertThat(net.contains("2001:db9::1")).isFalse();
    assertThat(Cidr.parse("::1/128").orElseThrow().contains("::1")).isTrue();
  }

  @Test
  void familiesNeverMatchEachOther() {
    assertThat(Cidr.parse("127.0.0.0/8").orElseThrow().contains("::1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "::/129", "example.com/8",
      "localhost"})
  void malformedEntriesAreEmpty(String text) {
    assertThat(Cidr.parse(text)).isEmpty();
  }

  @Test
  void parseAllSkipsMalformedEntries() {
    List<Cidr> nets = Cidr.parseAll(List.of("10.0.0.0/8", "bogus", " 192.168.0.0/16 "));
    assertThat(nets).hasSize(2);
    assertThat(Cidr.anyContains(nets, "192.168.1.1")).isTrue();
    assertThat(Cidr.anyContains(nets, "172.16.0.1")).isFalse();
  }

  @Test
  void addressesThatAreNotLiteralsNeverMatchAndAreNeverResolved() {
    Cidr all = Cidr.parse("0.0.0.0/0").orElseThrow();
    assertThat(all.contains("localhost")).isFalse();
    assertThat(all.contains((String) null)).isFalse();
    assertThat(all.contains("")).isFalse();
  }
}
