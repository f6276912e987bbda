package dev.backchannel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private Path file(String json) throws IOException {
    Path file = dir.resolve("backchannel.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void withNothingSetTheDefaultsApply() {
    Config config = new ConfigLoader(Map.of()).loadWithoutFile(Map.of());
    assertThat(config).isEqualTo(Config.defaults());
  }

  @Test
  void eachLayerOverridesTheOneBefore() throws IOException {
    Path file = file("{\"rate_limit\": 10, \"rate_limit_window\": 30, \"instance_kind\": \"from-file\"}");
    Map<String, String> env = Map.of("BACKCHANNEL_RATE_LIMIT_WINDOW", "45", "BACKCHANNEL_INSTANCE_KIND", "from-env");
    Config config = new ConfigLoader(env).load(file, Map.of("instance_kind", "from-flag"));

    assertThat(config.rateLimit()).isEqualTo(10);
    assertThat(config.rateLimitWindow()).isEqualTo(45);
    assertThat(config.instanceKind()).isEqualTo("from-flag");
    assertThat(config.keyMintLimit()).isEqualTo(Config.defaults().keyMintLimit());
  }

  @Test
  void theConfigFileCanComeFromTheEnvironment() throws IOException {
    Path file = file("{\"port\": 9123}");
    Config config = new ConfigLoader(Map.of("BACKCHANNEL_CONFIG", file.toString())).load(null, Map.of());
    assertThat(config.port()).isEqualTo(9123);
  }

  @Test
  void listsComeFromJsonArraysOrCommaSeparatedText() throws IOException {
    Config fromFile = new ConfigLoader(Map.of()).load(file("{\"trusted_proxies\": [\"10.0.0.0/8\", \"::1\"]}"),
        Map.of());
    assertThat(fromFile.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
    Config fromEnv = new ConfigLoader(Map.of("BACKCHANNEL_ALLOWED_HOSTS", " a.example , b.example,,"))
        .loadWithoutFile(Map.of());
    assertThat(fromEnv.allowedHosts()).containsExactly("a.example", "b.example");
  }

  @Test
  void anUnknownKeyInTheFileIsRefusedByName() throws IOException {
    Path file = file("{\"rate_limt\": 5}");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("rate_limt");
  }

  @Test
  void anUnknownOverrideIsRefusedByName() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadWithoutFile(Map.of("no_such_setting", "1")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("no_such_setting");
  }

  @Test
  void unrelatedEnvironmentVariablesAreIgnored() {
    Config config = new ConfigLoader(Map.of("BACKCHANNEL_NO_SUCH_THING", "x", "PATH", "/bin"))
        .loadWithoutFile(Map.of());
    assertThat(config).isEqualTo(Config.defaults());
  }

  @ParameterizedTest
  @CsvSource({"1,true", "true,true", "TRUE,true", "yes,true", "on,true", "0,false", "false,false", "no,false",
      "off,false", "Off,false"})
  void environmentBooleansTakeTheUpstreamSpellings(String raw, boolean expected) {
    Config config = new ConfigLoader(Map.of("BACKCHANNEL_DEFAULT_DISCOVERABLE", raw)).loadWithoutFile(Map.of());
    assertThat(config.defaultDiscoverable()).isEqualTo(expected);
  }

  @Test
  void anUnreadableValueNamesTheVariable() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of("BACKCHANNEL_LONGPOLL_ENABLED", "maybe")).loadWithoutFile(Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("BACKCHANNEL_LONGPOLL_ENABLED");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("BACKCHANNEL_PORT", "eighty")).loadWithoutFile(Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("BACKCHANNEL_PORT");
  }

  @Test
  void outOfRangeValuesNameTheKey() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadWithoutFile(Map.of("default_ttl_seconds", "10")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("default_ttl_seconds");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadWithoutFile(Map.of("sqlite_synchronous", "SOMETIMES")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("sqlite_synchronous");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadWithoutFile(Map.of("base_url", "ftp://x")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("base_url");
  }

  @Test
  void aConfigFileThatIsNotAnObjectIsRefused() throws IOException {
    Path file = file("[1, 2]");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining(file.toString());
  }

  @Test
  void aMissingExplicitConfigFileIsAnError() {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(missing, Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("missing.json");
  }

  @Test
  void keysAreTheSnakeCaseOfTheRecordComponents() {
    assertThat(ConfigLoader.keyOf("rateLimitWindow")).isEqualTo("rate_limit_window");
    assertThat(ConfigLoader.keys()).contains("db", "sqlite_busy_timeout_ms", "http_instances");
  }

  @Test
  void theShippedConfigFileNamesEverySettingWithItsDefault() throws IOException {
    ObjectNode shipped = (ObjectNode) new ObjectMapper().readTree(Path.of("config", "backchannel.json").toFile());
    Set<String> names = new java.util.TreeSet<>();
    shipped.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(ConfigLoader.keys());
    Config loaded = new ConfigLoader(Map.of()).load(Path.of("config", "backchannel.json"), Map.of());
    assertThat(loaded).isEqualTo(Config.defaults());
  }

}
