package dev.backchannel.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every error's {@code documentation_url} points at {@code errors.md#<code-with-hyphens>}: each
 * code needs a section there, stating the status the server really answers with.
 */
class ErrorDocsTest {
  private static final Pattern SECTION = Pattern.compile("^## (\\S+)\\n\\n`([a-z0-9_]+)` · HTTP (\\d{3})$",
      Pattern.MULTILINE);

  @Test
  void everyCodeHasASectionWithItsStatus() throws IOException {
    Map<String, String> documented = sections();
    List<String> wrong = new ArrayList<>();
    for (ApiError error : ApiError.values()) {
      String anchor = error.code().replace('_', '-');
      String expected = error.code() + " " + error.status();
      if (!expected.equals(documented.get(anchor))) {
        wrong.add("## " + anchor + " (want `" + error.code() + "` · HTTP " + error.status()
            + ", found " + documented.get(anchor) + ")");
      }
    }
    assertThat(wrong).as("errors.md sections missing or stating another status").isEmpty();
  }

  @Test
  void everySectionNamesACodeTheServerUses() throws IOException {
    List<String> codes = new ArrayList<>();
    for (ApiError error : ApiError.values()) {
      codes.add(error.code().replace('_', '-'));
    }
    assertThat(sections().keySet()).isSubsetOf(codes);
  }

  private static Map<String, String> sections() throws IOException {
    String text;
    try (InputStream in = ErrorDocsTest.class.getResourceAsStream("/public/docs/errors.md")) {
      assertThat(in).as("errors.md on the classpath").isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> sections = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(text);
    while (m.find()) {
      sections.put(m.group(1), m.group(2) + " " + m.group(3));
    }
    assertThat(text.split("\n## ", -1)).as("every section in the expected shape").hasSize(sections.size() + 1);
    return sections;
  }
}
