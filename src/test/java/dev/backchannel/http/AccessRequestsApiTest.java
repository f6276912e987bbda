package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Access requests to restricted channels: asking, approving, denying, and who may decide. */
class AccessRequestsApiTest extends MembershipApiTestBase {
  @Test
  void accessRequestsGoFromPendingToApprovedWhichGrantsMembership() {
    Agent owner = newAgent();
    Agent requester = newAgent();
    String channel = createChannel(owner.key(), "claimable", "access", "restricted", "discoverable", true)
        .get("id").asText();
    JsonNode listed = api.get("/v1/channels?limit=1").key(requester.key()).send().json().get("data").get(0);
    assertThat(listed.get("id").asText()).isEqualTo(channel);
    assertThat(listed.get("is_member").asBoolean()).isFalse();

    Response pending = api.post("/v1/channels/" + channel + "/access-requests", json("reason", " please "))
        .key(requester.key()).send();
    assertThat(pending.status()).isEqualTo(202);
    assertThat(pending.text("status")).isEqualTo("pending");
    String requestId = pending.text("request_id");
    Response repeat = api.post("/v1/channels/" + channel + "/access-requests", json("reason", "again"))
        .key(requester.key()).send();
    assertThat(repeat.status()).isEqualTo(202);
    assertThat(repeat.text("request_id")).isEqualTo(requestId);

    Response list = api.get("/v1/channels/" + channel + "/access-requests").key(owner.key()).send();
    assertThat(list.status()).isEqualTo(200);
    JsonNode request = list.json().get("data").get(0);
    assertThat(list.json().get("data")).hasSize(1);
    assertThat(request.get("id").asText()).isEqualTo(requestId);
    assertThat(request.get("channel_id").asText()).isEqualTo(channel);
    assertThat(request.get("requester_key_id").asText()).isEqualTo(requester.keyId());
    assertThat(request.get("reason").asText()).isEqualTo("please");
    assertThat(request.get("status").asText()).isEqualTo("pending");
    assertThat(request.has("created_at")).isTrue();

    expectError(api.get("/v1/channels/" + channel + "/messages").key(requester.key()).send(), 403,
        "channel_access_denied");
    Response approved = api.post("/v1/channels/" + channel + "/access-requests/" + requestId + "/approve")
        .key(owner.key()).send();
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.text("status")).isEqualTo("approved");
    assertThat(approved.text("request_id")).isEqualTo(requestId);
    assertThat(approved.text("requester_key_id")).isEqualTo(requester.keyId());
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(requester.key()).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/channels/" + channel + "/access-requests").key(owner.key()).send().json().get("data"))
        .isEmpty();
    JsonNode event = events(owner.key(), channel).get(0);
    assertThat(event.get("event_type").asText()).isEqualTo("member_added");
    assertThat(event.get("actor_key_id").asText()).isEqualTo(owner.keyId());
    assertThat(event.get("subject_key_id").asText()).isEqualTo(requester.keyId());

    Response twice = once(api.post("/v1/channels/" + channel + "/access-requests/" + requestId + "/deny"))
        .key(owner.key()).send();
    expectError(twice, 409, "access_request_resolved");
    Response member = once(api.post("/v1/channels/" + channel + "/access-requests", json()))
        .key(requester.key()).send();
    assertThat(member.status()).isEqualTo(200);
    assertThat(member.text("status")).isEqualTo("already_member");
  }

  @Test
  void aDeniedRequesterMayAskAgain() {
    String owner = newKey();
    String requester = newKey();
    String channel = restricted(owner);
    String first = api.post("/v1/channels/" + channel + "/access-requests", json()).key(requester).send()
        .text("request_id");
    Response denied = api.post("/v1/channels/" + channel + "/access-requests/" + first + "/deny").key(owner).send();
    assertThat(denied.status()).isEqualTo(200);
    assertThat(denied.text("status")).isEqualTo("denied");
    expectError(api.get("/v1/channels/" + channel).key(requester).send(), 403, "channel_access_denied");

    Response second = api.post("/v1/channels/" + channel + "/access-requests", json("reason", "second try"))
        .key(requester).send();
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.text("request_id")).isNotEqualTo(first);
  }

  @Test
  void accessRequestsOnOpenChannelsAndByOwnersNeedNothing() {
    String owner = newKey();
    Response open = api.post("/v1/channels/" + broadcastChannel(owner) + "/access-requests", json())
        .key(newKey()).send();
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.text("status")).isEqualTo("open");
    assertThat(open.text("note")).isNotBlank();
    Response mine = api.post("/v1/channels/" + restricted(owner) + "/access-requests", json()).key(owner).send();
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.text("status")).isEqualTo("already_member");
  }

  @Test
  void accessRequestsResolveByIdOrAliasOnly() {
    String owner = newKey();
    String requester = newKey();
    JsonNode channel = createChannel(owner, "broadcast", "access", "restricted", "name", "lobby-by-name");
    String alias = "lobby-" + UUID.randomUUID();
    api.post("/v1/channels/" + channel.get("id").asText() + "/aliases", json("alias", alias)).key(owner).send();

    expectError(api.post("/v1/channels/lobby-by-name/access-requests", json()).key(owner).send(), 404,
        "channel_not_found");
    assertThat(api.post("/v1/channels/" + alias + "/access-requests", json()).key(requester).send().status())
        .isEqualTo(202);
    expectError(api.post("/v1/channels/" + alias + "/access-requests", json("reason", 5)).key(requester).send(), 422,
        "invalid_string");
  }

  @Test
  void decidingRequestsIsOwnerOnlyAndChecksTheRequestBelongsToTheChannel() {
    String owner = newKey();
    String requester = newKey();
    String channel = restricted(owner);
    String other = restricted(owner);
    String requestId = api.post("/v1/channels/" + channel + "/access-requests", json()).key(requester).send()
        .text("request_id");

    expectError(api.get("/v1/channels/" + channel + "/access-requests").key(requester).send(), 403, "forbidden");
    expectError(api.post("/v1/channels/" + channel + "/access-requests/" + requestId + "/approve").key(requester)
        .send(), 403, "forbidden");
    expectError(api.post("/v1/channels/" + other + "/access-requests/" + requestId + "/approve").key(owner).send(),
        404, "access_request_not_found");
    expectError(api.post("/v1/channels/" + channel + "/access-requests/" + UUID.randomUUID() + "/deny").key(owner)
        .send(), 404, "access_request_not_found");
  }
}
