package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.List;

/** Channel bodies, unique aliases and the contract field list of the channel API tests. */
abstract class ChannelApiTestBase extends ApiTest {
  protected static final List<String> CHANNEL_FIELDS = List.of("id", "owner_id", "created_by_key_id", "name", "mode",
      "access", "discoverable", "description", "metadata_schema", "pinned_message", "ttl_seconds", "retention_days",
      "max_messages", "max_writes_per_minute", "paused", "max_deliveries",
      "dead_letter_channel", "max_in_flight", "aliases", "related_channels", "created_at", "updated_at");

  protected Response create(String key, Object... fields) {
    return api.post("/v1/channels", json(fields)).key(key).send();
  }

  protected ObjectNode base(Object... more) {
    ObjectNode body = json("name", "base", "mode", "broadcast");
    body.setAll(json(more));
    return body;
  }

  protected static int aliases;

  protected String uniqueAlias(String prefix) {
    return prefix + "-" + getClass().getSimpleName().toLowerCase() + "-" + (++aliases) + "-" + System.nanoTime();
  }
}
