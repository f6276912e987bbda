package dev.backchannel.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdempotencyKeyNamingTest {
  private static final byte[] BODY = "{\"content\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void anExplicitKeyNamesTheRecordWithinKeyMethodAndPath() {
    IdempotencyRecord record = IdempotencyRecord.forWrite("k1", "POST", "/v1/channels/c/messages", "retry-7", BODY);
    assertThat(record.scope()).isEqualTo("k1:POST:/v1/channels/c/messages:retry-7");
    assertThat(record.key()).isEqualTo("retry-7");
    assertThat(record.source()).isEqualTo("client");
  }

  @Test
  void withoutAKeyTheBodyNamesIt() {
    IdempotencyRecord a = IdempotencyRecord.forWrite("k1", "POST", "/v1/channels/c/messages", null, BODY);
    IdempotencyRecord same = IdempotencyRecord.forWrite("k1", "POST", "/v1/channels/c/messages", null, BODY.clone());
    IdempotencyRecord other = IdempotencyRecord.forWrite("k1", "POST", "/v1/channels/c/messages", null,
        "{\"content\":\"ho\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(a.source()).isEqualTo("server-auto");
    assertThat(a.key()).startsWith("auto-POST-").endsWith("-/v1/channels/c/messages");
    assertThat(same.scope()).isEqualTo(a.scope());
    assertThat(other.scope()).isNotEqualTo(a.scope());
    assertThat(IdempotencyRecord.forWrite("k2", "POST", "/v1/channels/c/messages", null, BODY).scope())
        .as("another key's identical post").isNotEqualTo(a.scope());
  }

  @Test
  void verbsMeantToRepeatHaveNoAutomaticRecordButHonourAnExplicitOne() {
    for (String path : new String[] {"/v1/messages/m/claim", "/v1/channels/q/claim-next", "/v1/messages/m/ack",
        "/v1/tasks/subscribe", "/v1/keys/me/stream-tokens"}) {
      assertThat(IdempotencyRecord.forWrite("k1", "POST", path, null, BODY)).as(path).isNull();
      assertThat(IdempotencyRecord.forWrite("k1", "POST", path, "once", BODY)).as(path).isNotNull();
    }
  }

  @Test
  void keysAreOneTo255PrintableAsciiCharacters() {
    assertThat(IdempotencyRecord.isValidKey("a")).isTrue();
    assertThat(IdempotencyRecord.isValidKey("a b~")).isTrue();
    assertThat(IdempotencyRecord.isValidKey("x".repeat(255))).isTrue();
    assertThat(IdempotencyRecord.isValidKey("x".repeat(256))).isFalse();
    assertThat(IdempotencyRecord.isValidKey("")).isFalse();
    assertThat(IdempotencyRecord.isValidKey(" leading")).isFalse();
    assertThat(IdempotencyRecord.isValidKey("tab\there")).isFalse();
    assertThat(IdempotencyRecord.isValidKey("é")).isFalse();
  }
}
