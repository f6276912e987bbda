package dev.backchannel.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation: trusted proxies, webhook allow- and deny-lists. */
public record Cidr(byte[] network, int prefix) {

  /** Parses {@code 10.0.0.0/8}, {@code ::1/128} or a bare address; empty when malformed. */
  public static Optional<Cidr> parse(String text) {
    String value = text.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    if (!isLiteral(address)) {
      return Optional.empty();
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(value.substring(slash + 1));
      if (prefix < 0 || prefix > bytes.length * 8) {
        return Optional.empty();
      }
      return Optional.of(new Cidr(bytes, prefix));
    } catch (UnknownHostException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Malformed entries are ignored (contract §5.10). */
  public static List<Cidr> parseAll(List<String> entries) {
    List<Cidr> out = new ArrayList<>();
    entries.forEach(entry -> parse(entry).ifPresent(out::add));
    return out;
  }

  /** Only IP literals: never resolve a host name while parsing configuration or headers. */
  public static boolean isLiteral(String address) {
    return !address.isEmpty() && (address.indexOf(':') >= 0 || address.matches("[0-9.]+"));
  }

  public boolean contains(String address) {
    if (address == null || !isLiteral(address.trim())) {
      return false;
    }
    try {
      return contains(InetAddress.getByName(address.trim()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  public static boolean anyContains(List<Cidr> networks, String address) {
    for (Cidr network : networks) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
