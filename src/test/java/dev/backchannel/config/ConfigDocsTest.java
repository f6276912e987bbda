package dev.backchannel.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting is in the default config file and in the operations guide's table (style §7.6). */
class ConfigDocsTest {
  @Test
  void everySettingIsInTheDefaultConfigFileWithItsDefault() throws Exception {
    JsonNode file = new ObjectMapper().readTree(Path.of("config", "backchannel.json").toFile());
    List<String> fileKeys = new ArrayList<>();
    file.fieldNames().forEachRemaining(fileKeys::add);

    assertThat(fileKeys).containsExactlyElementsOf(ConfigLoader.keys());
    Config fromFile = new ConfigLoader(Map.of()).load(Path.of("config", "backchannel.json"), Map.of());
    assertThat(fromFile).isEqualTo(Config.defaults());
  }

  @Test
  void everySettingHasARowInTheOperationsGuideNamingItsEnvironmentVariable() throws Exception {
    String guide = Files.readString(Path.of("docs", "operations.md"));

    for (String key : ConfigLoader.keys()) {
      String env = "BACKCHANNEL_" + key.toUpperCase(Locale.ROOT);
      assertThat(guide).as(key).containsPattern("(?m)^\\| `" + key + "` \\| `" + env + "` \\|");
    }
  }
}
