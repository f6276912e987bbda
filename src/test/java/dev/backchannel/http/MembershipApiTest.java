package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MembershipApiTest extends MembershipApiTestBase {
  @Test
  void theCreatorIsTheFirstMemberAndChannelCreationRecordsNoEvent() {
    Agent owner = newAgent();
    String channel = broadcastChannel(owner.key());
    Response members = api.get("/v1/channels/" + channel + "/members").key(owner.key()).send();
    assertThat(members.status()).isEqualTo(200);
    JsonNode row = members.json().get("data").get(0);
    assertThat(members.json().get("data")).hasSize(1);
    assertThat(row.get("key_id").asText()).isEqualTo(owner.keyId());
    assertThat(row.get("channel_id").asText()).isEqualTo(channel);
    assertThat(row.get("id").asText()).hasSize(36);
    assertThat(row.get("granted_at").asText()).endsWith("+00:00");
    assertThat(row.get("granted_via_invitation_id").isNull()).isTrue();
    assertThat(events(owner.key(), channel)).isEmpty();
  }

  @Test
  void ownerAddsAndRemovesMembersWhichGrantsAndWithdrawsAccess() {
    Agent owner = newAgent();
    Agent guest = newAgent();
    String channel = restricted(owner.key());
    expectError(api.get("/v1/channels/" + channel).key(guest.key()).send(), 403, "channel_access_denied");

    Response added = api.post("/v1/channels/" + channel + "/members", json("key_id", guest.keyId()))
        .key(owner.key()).send();
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.text("key_id")).isEqualTo(guest.keyId());
    assertThat(added.json().get("granted_via_invitation_id").isNull()).isTrue();
    Response again = once(api.post("/v1/channels/" + channel + "/members", json("key_id", guest.keyId())))
        .key(owner.key()).send();
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.text("id")).isEqualTo(added.text("id"));
    assertThat(api.get("/v1/channels/" + channel).key(guest.key()).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/channels/" + channel + "/members").key(owner.key()).send().json().get("data"))
        .extracting(m -> m.get("key_id").asText()).containsExactly(owner.keyId(), guest.keyId());

    Response removed = api.delete("/v1/channels/" + channel + "/members/" + guest.keyId()).key(owner.key()).send();
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.text("status")).isEqualTo("removed");
    expectError(api.get("/v1/channels/" + channel).key(guest.key()).send(), 403, "channel_access_denied");
    Response notAMember = once(api.delete("/v1/channels/" + channel + "/members/bck_nobodyatall1")).key(owner.key())
        .send();
    assertThat(notAMember.status()).isEqualTo(200);

    JsonNode events = events(owner.key(), channel);
    assertThat(events).extracting(e -> e.get("event_type").asText())
        .containsExactly("member_added", "member_added", "member_removed", "member_removed");
    JsonNode first = events.get(0);
    assertThat(first.get("actor_key_id").asText()).isEqualTo(owner.keyId());
    assertThat(first.get("subject_key_id").asText()).isEqualTo(guest.keyId());
    assertThat(first.get("invitation_id").isNull()).isTrue();
    assertThat(first.get("metadata")).isEmpty();
    assertThat(first.get("channel_id").asText()).isEqualTo(channel);
    assertThat(Instant.parse(first.get("expires_at").asText().replace("+00:00", "Z")))
        .isEqualTo(Instant.parse(first.get("created_at").asText().replace("+00:00", "Z")).plus(Duration.ofHours(24)));
  }

  @Test
  void theCreatorCannotBeRemoved() {
    Agent owner = newAgent();
    String channel = broadcastChannel(owner.key());
    expectError(api.delete("/v1/channels/" + channel + "/members/" + owner.keyId()).key(owner.key()).send(), 409,
        "cannot_remove_owner");
  }

  @Test
  void memberManagementIsOwnerOnly() {
    String owner = newKey();
    Agent member = newAgent();
    String channel = restricted(owner);
    api.post("/v1/channels/" + channel + "/members", json("key_id", member.keyId())).key(owner).send();

    expectError(api.get("/v1/channels/" + channel + "/members").key(member.key()).send(), 403, "forbidden");
    expectError(api.post("/v1/channels/" + channel + "/members", json("key_id", "bck_x")).key(member.key()).send(),
        403, "forbidden");
    expectError(api.delete("/v1/channels/" + channel + "/members/" + member.keyId()).key(member.key()).send(), 403,
        "forbidden");
    expectError(api.get("/v1/channels/" + channel + "/events").key(member.key()).send(), 403, "forbidden");
    expectError(api.post("/v1/channels/" + channel + "/members", json()).key(owner).send(), 422, "missing_field");
  }

  @Test
  void nonMembersOfARestrictedChannelGetAccessDeniedEverywhere() {
    String owner = newKey();
    String stranger = newKey();
    String channel = restricted(owner);
    String message = postId(owner, channel, "members only");
    String base = "/v1/channels/" + channel;

    List<Call> calls = List.of(
        api.get(base),
        api.patch(base, json("description", "x")),
        api.delete(base),
        api.post(base + "/aliases", json("alias", "sneaky-" + UUID.randomUUID())),
        api.get(base + "/messages"),
        api.post(base + "/messages", json("content", "let me in")),
        api.get(base + "/history"),
        api.get(base + "/metrics"),
        api.get(base + "/members"),
        api.post(base + "/members", json("key_id", "bck_me")),
        api.get(base + "/events"),
        api.post(base + "/invitations"),
        api.post("/v1/messages/" + message + "/claim", json()),
        api.post("/v1/messages/" + message + "/claim-with-lease", json()),
        api.post("/v1/messages/" + message + "/ack", json()),
        api.delete("/v1/messages/" + message),
        api.post("/v1/tasks/claim", json("channel", channel)),
        api.post("/v1/tasks/subscribe", json("channel", channel)),
        api.post("/v1/tasks/broadcast", json("channel", channel, "content", "x")));
    for (Call call : calls) {
      expectError(call.key(stranger).send(), 403, "channel_access_denied");
    }
  }

  @Test
  void anInvitationGrantsMembershipToEveryKeyThatResolvesIt() {
    Agent owner = newAgent();
    Agent first = newAgent();
    Agent second = newAgent();
    String channel = restricted(owner.key(), "description", "secret work");

    Response created = api.post("/v1/channels/" + channel + "/invitations").key(owner.key()).send();
    assertThat(created.status()).isEqualTo(201);
    JsonNode invitation = created.json();
    String id = invitation.get("id").asText();
    assertThat(id).matches("[A-Za-z0-9_-]{24}");
    assertThat(invitation.get("owner_id").asText()).isEqualTo(owner.label());
    assertThat(invitation.get("created_by_key_id").asText()).isEqualTo(owner.keyId());
    assertThat(invitation.get("revoked_at").isNull()).isTrue();
    assertThat(invitation.get("active").asBoolean()).isTrue();
    assertThat(invitation.get("expires_at").asText()).isEqualTo("2026-04-07" + invitation.get("created_at").asText()
        .substring(10));
    JsonNode summary = invitation.get("channel");
    assertThat(summary.get("id").asText()).isEqualTo(channel);
    assertThat(summary.get("mode").asText()).isEqualTo("claimable");
    assertThat(summary.get("description").asText()).isEqualTo("secret work");
    assertThat(summary.has("name")).isTrue();

    Response resolved = api.get("/v1/channel-invitations/" + id).key(first.key()).send();
    assertThat(resolved.status()).isEqualTo(200);
    assertThat(resolved.text("id")).isEqualTo(id);
    assertThat(api.get("/v1/channel-invitations/" + id).key(second.key()).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/channel-invitations/" + id).key(first.key()).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(first.key()).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(second.key()).send().status()).isEqualTo(200);

    JsonNode members = api.get("/v1/channels/" + channel + "/members").key(owner.key()).send().json().get("data");
    assertThat(members).hasSize(3);
    assertThat(members.get(1).get("granted_via_invitation_id").asText()).isEqualTo(id);
    JsonNode events = events(owner.key(), channel);
    assertThat(events).hasSize(3).allSatisfy(e -> {
      assertThat(e.get("event_type").asText()).isEqualTo("invitation_resolved");
      assertThat(e.get("invitation_id").asText()).isEqualTo(id);
      assertThat(e.get("actor_key_id").asText()).isEqualTo(e.get("subject_key_id").asText());
    });
    assertThat(events.get(0).get("actor_key_id").asText()).isEqualTo(first.keyId());
  }

  @Test
  void anyKeyWithAccessMayInviteAndTheBodyIsIgnored() {
    Agent owner = newAgent();
    Agent other = newAgent();
    String open = broadcastChannel(owner.key());
    Response invitation = api.post("/v1/channels/" + open + "/invitations", "not json at all").key(other.key()).send();
    assertThat(invitation.status()).as(invitation.toString()).isEqualTo(201);
    assertThat(invitation.text("owner_id")).isEqualTo(other.label());
    assertThat(invitation.text("created_by_key_id")).isEqualTo(other.keyId());
  }

  @Test
  void resolvingAnInvitationWithoutAKeyAsksForOne() {
    String owner = newKey();
    String id = api.post("/v1/channels/" + broadcastChannel(owner) + "/invitations").key(owner).send().text("id");

    Response noKey = api.get("/v1/channel-invitations/" + id).send();
    assertThat(noKey.status()).isEqualTo(401);
    assertThat(noKey.text("error")).isEqualTo("api_key_required");
    assertThat(noKey.text("message")).isNotBlank();
    assertThat(noKey.text("redirect_to")).isEmpty();
    assertThat(noKey.json().has("request_id")).isFalse();
    expectError(api.get("/v1/channel-invitations/" + id).key("").send(), 401, "unauthorized");
    expectError(api.get("/v1/channel-invitations/" + id).key("bck_x.y").send(), 401, "unauthorized");
    expectError(api.get("/v1/channel-invitations/unknown-invitation").key(owner).send(), 404,
        "invitation_not_found");
  }

  @Test
  void revocationIsForTheOwnerOrTheCreatorAndHappensOnce() {
    Agent owner = newAgent();
    Agent inviter = newAgent();
    Agent bystander = newAgent();
    String channel = broadcastChannel(owner.key());
    String byOwner = api.post("/v1/channels/" + channel + "/invitations").key(owner.key()).send().text("id");
    String byInviter = api.post("/v1/channels/" + channel + "/invitations").key(inviter.key()).send().text("id");

    expectError(api.delete("/v1/channel-invitations/" + byOwner).key(bystander.key()).send(), 403, "forbidden");
    expectError(api.delete("/v1/channel-invitations/" + byOwner).key(inviter.key()).send(), 403, "forbidden");
    Response revoked = api.delete("/v1/channel-invitations/" + byOwner).key(owner.key()).send();
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("active").asBoolean()).isFalse();
    assertThat(revoked.text("revoked_at")).isNotNull();
    server.clock().advance(Duration.ofSeconds(3));
    Response again = once(api.delete("/v1/channel-invitations/" + byOwner)).key(owner.key()).send();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("revoked_at")).isEqualTo(revoked.text("revoked_at"));
    assertThat(api.delete("/v1/channel-invitations/" + byInviter).key(inviter.key()).send().status()).isEqualTo(200);
    assertThat(api.delete("/v1/channel-invitations/" + byInviter).key(owner.key()).send().status()).isEqualTo(200);

    expectError(api.get("/v1/channel-invitations/" + byOwner).key(bystander.key()).send(), 410, "invitation_revoked");
    expectError(api.delete("/v1/channel-invitations/nope").key(owner.key()).send(), 404, "invitation_not_found");
    JsonNode events = events(owner.key(), channel);
    assertThat(events).extracting(e -> e.get("event_type").asText())
        .containsExactly("invitation_revoked", "invitation_revoked");
    assertThat(events.get(0).get("actor_key_id").asText()).isEqualTo(owner.keyId());
    assertThat(events.get(0).get("subject_key_id").isNull()).isTrue();
    assertThat(events.get(0).get("invitation_id").asText()).isEqualTo(byOwner);
  }

  @Test
  void eventsPageWithSinceAndEchoTheCursorWhenEmpty() {
    String owner = newKey();
    String channel = broadcastChannel(owner);
    for (int i = 0; i < 3; i++) {
      api.post("/v1/channels/" + channel + "/members", json("key_id", "bck_member" + i)).key(owner).send();
    }
    Response page = api.get("/v1/channels/" + channel + "/events?limit=2").key(owner).send();
    assertThat(page.json().get("limit").asInt()).isEqualTo(2);
    JsonNode data = page.json().get("data");
    assertThat(data).hasSize(2);
    assertThat(page.text("next_cursor")).isEqualTo(data.get(1).get("created_at").asText());

    Response rest = api.get("/v1/channels/" + channel + "/events?since=" + encode(page.text("next_cursor")))
        .key(owner).send();
    assertThat(rest.json().get("data")).extracting(e -> e.get("subject_key_id").asText())
        .containsExactly("bck_member2");
    String last = rest.text("next_cursor");
    Response empty = api.get("/v1/channels/" + channel + "/events?since=" + encode(last)).key(owner).send();
    assertThat(empty.json().get("data")).isEmpty();
    assertThat(empty.text("next_cursor")).isEqualTo(last);
    Response none = api.get("/v1/channels/" + broadcastChannel(owner) + "/events").key(owner).send();
    assertThat(none.json().get("next_cursor").isNull()).isTrue();

    expectError(api.get("/v1/channels/" + channel + "/events?limit=0").key(owner).send(), 422, "invalid_limit");
    expectError(api.get("/v1/channels/" + channel + "/events?limit=101").key(owner).send(), 422, "invalid_limit");
    expectError(api.get("/v1/channels/" + channel + "/events?limit=x").key(owner).send(), 422, "invalid_limit");
  }

  @Test
  void eventsExpireAfter24Hours() {
    String owner = newKey();
    String channel = broadcastChannel(owner);
    api.post("/v1/channels/" + channel + "/members", json("key_id", "bck_soon_gone_1")).key(owner).send();
    server.clock().advance(Duration.ofHours(24).plusSeconds(1));
    api.post("/v1/channels/" + channel + "/members", json("key_id", "bck_still_here")).key(owner).send();
    assertThat(events(owner, channel)).extracting(e -> e.get("subject_key_id").asText())
        .containsExactly("bck_still_here");
  }
}
