package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract §5.5: any number of concurrent claimers get exactly one winner. 32 agents, each with
 * its own key (and so its own actor), claim each of 50 messages at the same moment over real
 * HTTP; half use a plain claim, half a claim with lease.
 */
class ClaimRaceTest extends ApiTest {
  private static final int CLAIMERS = 32;
  private static final int MESSAGES = 50;

  @Test
  @Timeout(120)
  void everyMessageHasExactlyOneWinnerAndEveryLoserIs409() throws Exception {
    Agent owner = newAgent();
    String channel = claimableChannel(owner.key());
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      messages.add(postId(owner.key(), channel, "task " + i));
    }
    List<Agent> claimers = new ArrayList<>();
    for (int i = 0; i < CLAIMERS; i++) {
      claimers.add(newAgent());
    }

    Response[][] results = new Response[MESSAGES][CLAIMERS];
    CyclicBarrier together = new CyclicBarrier(CLAIMERS);
    ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLAIMERS; c++) {
        int claimer = c;
        done.add(pool.submit(() -> {
          for (int m = 0; m < MESSAGES; m++) {
            together.await(30, TimeUnit.SECONDS);
            results[m][claimer] = claim(claimers.get(claimer).key(), messages.get(m), claimer % 2 == 1);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int m = 0; m < MESSAGES; m++) {
      int winner = -1;
      for (int c = 0; c < CLAIMERS; c++) {
        Response response = results[m][c];
        if (response.status() == 200) {
          assertThat(winner).as("second winner on message %d: %s", m, response).isEqualTo(-1);
          winner = c;
          if (c % 2 == 0) {
            assertThat(response.text("status")).isEqualTo("claimed");
          } else {
            assertThat(response.text("lease_token")).isNotNull();
          }
        } else {
          expectError(response, 409, "already_claimed");
        }
      }
      assertThat(winner).as("a winner on message %d", m).isNotNegative();
      Response held = api.post("/v1/messages/" + messages.get(m) + "/claim", json()).key(owner.key()).send();
      expectError(held, 409, "already_claimed");
      assertThat(results[m][winner].json().get("message").get("claimed_by_key_id").asText())
          .isEqualTo(claimers.get(winner).keyId());
    }
  }

  private Response claim(String key, String message, boolean withLease) {
    String verb = withLease ? "/claim-with-lease" : "/claim";
    return api.post("/v1/messages/" + message + verb, json()).key(key).send();
  }
}
