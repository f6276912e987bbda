package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Restricted channels, their events and single-shot calls for the membership tests. */
abstract class MembershipApiTestBase extends ApiTest {
  @Override
  protected Map<String, String> settings() {
    return Map.of("invitation_lookup_limit", "0");
  }

  protected String restricted(String key, Object... extra) {
    List<Object> fields = new ArrayList<>(List.of("access", "restricted"));
    fields.addAll(List.of(extra));
    return createChannel(key, "claimable", fields.toArray()).get("id").asText();
  }

  protected JsonNode events(String key, String channel) {
    Response events = api.get("/v1/channels/" + channel + "/events").key(key).send();
    assertThat(events.status()).as(events.toString()).isEqualTo(200);
    return events.json().get("data");
  }

  protected static Call once(Call call) {
    return call.header("Idempotency-Key", UUID.randomUUID().toString());
  }
}
