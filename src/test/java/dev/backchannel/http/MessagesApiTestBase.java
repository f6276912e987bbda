package dev.backchannel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the message tests share: posting, listing, and reading ids and times off a page. */
abstract class MessagesApiTestBase extends ApiTest {
  protected Response send(String key, String channel, ObjectNode body) {
    return api.post("/v1/channels/" + channel + "/messages", body).key(key).send();
  }

  protected Response list(String key, String channel, String query) {
    return api.get("/v1/channels/" + channel + "/messages" + query).key(key).send();
  }

  protected static List<String> ids(Response page) {
    List<String> ids = new ArrayList<>();
    page.json().get("data").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  protected static Instant time(JsonNode node) {
    return Instant.parse(node.asText().replace("+00:00", "Z"));
  }
}
