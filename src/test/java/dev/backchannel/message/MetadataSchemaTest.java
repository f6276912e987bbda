package dev.backchannel.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MetadataSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<MetadataSchema.Violation> check(String schema, String value) throws Exception {
    return MetadataSchema.validate(JSON.readTree(schema), JSON.readTree(value));
  }

  private static List<String> issues(String schema, String value) throws Exception {
    return check(schema, value).stream().map(MetadataSchema.Violation::issue).toList();
  }

  @Test
  void emptyOrMissingSchemaAcceptsEverything() throws Exception {
    assertThat(check("{}", "{\"a\": [1, {\"b\": null}]}")).isEmpty();
    assertThat(MetadataSchema.validate(null, JSON.readTree("{\"a\": 1}"))).isEmpty();
  }

  @Test
  void legacyFreeFormSchemasAcceptEverything() throws Exception {
    assertThat(check("{\"severity\": \"string\", \"count\": \"integer\"}", "{\"severity\": 3}")).isEmpty();
    assertThat(check("{\"severity\": \"string\"}", "{}")).isEmpty();
  }

  @Test
  void typeMismatchIsReportedAtTheFieldPathAndStopsThatNode() throws Exception {
    List<MetadataSchema.Violation> violations = check(
        "{\"properties\": {\"priority\": {\"type\": \"integer\", \"maximum\": 3}}}", "{\"priority\": \"high\"}");
    assertThat(violations).containsExactly(new MetadataSchema.Violation("metadata.priority", "expected type 'integer'"));
  }

  @Test
  void everyTypeNameIsChecked() throws Exception {
    assertThat(issues("{\"type\": \"string\"}", "1")).containsExactly("expected type 'string'");
    assertThat(issues("{\"type\": \"number\"}", "\"1\"")).containsExactly("expected type 'number'");
    assertThat(issues("{\"type\": \"number\"}", "1.5")).isEmpty();
    assertThat(issues("{\"type\": \"integer\"}", "1.5")).containsExactly("expected type 'integer'");
    assertThat(issues("{\"type\": \"integer\"}", "2")).isEmpty();
    assertThat(issues("{\"type\": \"boolean\"}", "0")).containsExactly("expected type 'boolean'");
    assertThat(issues("{\"type\": \"array\"}", "{}")).containsExactly("expected type 'array'");
    assertThat(issues("{\"type\": \"object\"}", "[]")).containsExactly("expected type 'object'");
    assertThat(issues("{\"type\": \"null\"}", "0")).containsExactly("expected type 'null'");
    assertThat(issues("{\"type\": \"null\"}", "null")).isEmpty();
  }

  @Test
  void booleansAreNotIntegersOrNumbers() throws Exception {
    assertThat(issues("{\"type\": \"integer\"}", "true")).containsExactly("expected type 'integer'");
    assertThat(issues("{\"type\": \"number\"}", "false")).containsExactly("expected type 'number'");
  }

  @Test
  void stringLengthsCountCodePoints() throws Exception {
    assertThat(issues("{\"minLength\": 3}", "\"ab\"")).containsExactly("minLength 3");
    assertThat(issues("{\"maxLength\": 2}", "\"abc\"")).containsExactly("maxLength 2");
    assertThat(issues("{\"maxLength\": 2}", "\"\uD83D\uDE00\uD83D\uDE00\"")).isEmpty();
    assertThat(issues("{\"minLength\": 2, \"maxLength\": 2}", "\"ab\"")).isEmpty();
  }

  @Test
  void patternSearchesAnywhereAndIsNotAnchored() throws Exception {
    assertThat(issues("{\"pattern\": \"b+\"}", "\"abba\"")).isEmpty();
    assertThat(issues("{\"pattern\": \"^x\"}", "\"abc\"")).containsExactly("pattern '^x' did not match");
  }

  @Test
  void aBrokenPatternIsAViolationNotACrash() throws Exception {
    assertThat(issues("{\"pattern\": \"(\"}", "\"abc\"")).singleElement().asString()
        .startsWith("invalid pattern in schema:");
  }

  @Test
  @Timeout(10)
  void aCatastrophicallyBacktrackingPatternIsCutOffNotRunForMinutes() throws Exception {
    String schema = "{\"properties\": {\"x\": {\"pattern\": \"^(a+)+\\\\1$\"}}}";
    assertThat(issues(schema, "{\"x\": \"" + "a".repeat(40) + "!\"}"))
        .containsExactly("pattern '^(a+)+\\1$' is too expensive to evaluate");
  }

  @Test
  void aPatternThatWouldOverflowTheStackIsAViolation() throws Exception {
    String schema = "{\"properties\": {\"x\": {\"pattern\": \"(a|b)*c\"}}}";
    assertThat(issues(schema, "{\"x\": \"" + "ab".repeat(50_000) + "\"}"))
        .containsExactly("pattern '(a|b)*c' is too expensive to evaluate");
  }

  @Test
  @Timeout(10)
  void theBudgetIsSharedByEveryPatternOfOneMessage() throws Exception {
    StringBuilder schema = new StringBuilder("{\"properties\": {");
    StringBuilder value = new StringBuilder("{");
    for (int i = 0; i < 50; i++) {
      schema.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": {\"pattern\": \"^(a+)+\\\\1$\"}");
      value.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": \"").append("a".repeat(40)).append("!\"");
    }
    assertThat(issues(schema + "}}", value + "}")).hasSize(50).allMatch(i -> i.endsWith("too expensive to evaluate"));
  }

  @Test
  void numberBoundsAreInclusive() throws Exception {
    assertThat(issues("{\"minimum\": 1, \"maximum\": 3}", "1")).isEmpty();
    assertThat(issues("{\"minimum\": 1, \"maximum\": 3}", "3")).isEmpty();
    assertThat(issues("{\"minimum\": 1}", "0.5")).containsExactly("minimum 1");
    assertThat(issues("{\"maximum\": 3}", "4")).containsExactly("maximum 3");
    assertThat(issues("{\"maximum\": 2.5}", "3")).containsExactly("maximum 2.5");
  }

  @Test
  void enumComparesJsonValues() throws Exception {
    assertThat(issues("{\"enum\": [\"low\", \"high\"]}", "\"low\"")).isEmpty();
    assertThat(issues("{\"enum\": [1, 2]}", "2.0")).isEmpty();
    assertThat(issues("{\"enum\": [\"low\", \"high\"]}", "\"mid\"")).singleElement().asString()
        .startsWith("value must be one of");
  }

  @Test
  void requiredFieldsAreReportedAtTheirOwnPath() throws Exception {
    assertThat(check("{\"required\": [\"task\", \"owner\"]}", "{\"task\": 1}"))
        .containsExactly(new MetadataSchema.Violation("metadata.owner", "required field missing"));
  }

  @Test
  void additionalPropertiesFalseRefusesUnknownKeys() throws Exception {
    assertThat(check("{\"properties\": {\"a\": {}}, \"additionalProperties\": false}", "{\"a\": 1, \"b\": 2}"))
        .containsExactly(new MetadataSchema.Violation("metadata.b", "additional property not allowed"));
    assertThat(check("{\"properties\": {\"a\": {}}}", "{\"a\": 1, \"b\": 2}")).isEmpty();
  }

  @Test
  void propertiesAreValidatedRecursively() throws Exception {
    String schema = """
        {"type": "object", "properties": {"job": {"type": "object", "required": ["id"],
          "properties": {"id": {"type": "string", "minLength": 4}}}}}""";
    assertThat(check(schema, "{\"job\": {\"id\": \"ab\"}}"))
        .containsExactly(new MetadataSchema.Violation("metadata.job.id", "minLength 4"));
    assertThat(check(schema, "{\"job\": {}}"))
        .containsExactly(new MetadataSchema.Violation("metadata.job.id", "required field missing"));
    assertThat(check(schema, "{}")).isEmpty();
  }

  @Test
  void everyViolationIsReportedNotJustTheFirst() throws Exception {
    String schema = """
        {"required": ["a"], "properties": {"b": {"maximum": 1}, "c": {"pattern": "^z"}}}""";
    assertThat(issues(schema, "{\"b\": 5, \"c\": \"y\"}"))
        .containsExactlyInAnyOrder("required field missing", "maximum 1", "pattern '^z' did not match");
  }

  @Test
  void violationsRenderAsFieldAndIssue() {
    assertThat(new MetadataSchema.Violation("metadata.a", "minLength 1").asMap())
        .containsEntry("field", "metadata.a").containsEntry("issue", "minLength 1");
  }

}
