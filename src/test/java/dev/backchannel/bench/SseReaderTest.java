package dev.backchannel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private final List<String> events = new ArrayList<>();
  private final SseReader reader = new SseReader((id, event, data) -> events.add(id + " " + event + " " + data));

  @Test
  void eventsSplitAcrossChunksAreReassembledAndCommentsSkipped() {
    reader.feed(Buffer.buffer("retry: 2000\n: open\n\nid: 4"));
    reader.feed(Buffer.buffer("1\nevent: message\ndata: {\"seq\":41}\n"));
    reader.feed(Buffer.buffer("\n: heartbeat\n\nid: 42\r\ndata: a\r\ndata: b\r\n\r\n"));

    assertThat(events).containsExactly("41 message {\"seq\":41}", "42 message a\nb");
  }

  @Test
  void aLineCutAnywhereReadsTheSame() {
    String stream = "id: 7\nevent: reset\ndata:{\"reason\":\"history_gap\"}\n\nid: 8\ndata: é " + "x".repeat(3000) + "\r\n\r\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < 40; cut++) {
      events.clear();
      SseReader fresh = new SseReader((id, event, data) -> events.add(id + " " + event + " " + data));
      for (int from = 0; from < bytes.length; from += cut) {
        fresh.feed(Buffer.buffer().appendBytes(bytes, from, Math.min(cut, bytes.length - from)));
      }
      assertThat(events).as("chunks of %d bytes", cut)
          .containsExactly("7 reset {\"reason\":\"history_gap\"}", "8 message é " + "x".repeat(3000));
    }
  }

  @Test
  void anEventWithoutDataIsNotAnEvent() {
    reader.feed(Buffer.buffer("id: 3\nevent: message\n\ndata:\n\n"));

    assertThat(events).containsExactly("-1 message ");
  }

  @Test
  void fieldsWithoutTheSpaceOrWithTrailingSpacesReadTheSame() {
    reader.feed(Buffer.buffer("id:9\nevent:message \ndata:x\n\nid: 10 \nevent:  reset\ndata: y\n\n"));

    assertThat(events).containsExactly("9 message x", "10 reset y");
  }
}
