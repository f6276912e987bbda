package dev.backchannel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  @Test
  void eventsSplitAcrossChunksAreReassembledAndCommentsSkipped() {
    List<String> events = new ArrayList<>();
    SseReader reader = new SseReader((id, event, data) -> events.add(id + " " + event + " " + data));

    reader.feed(Buffer.buffer("retry: 2000\n: open\n\nid: 4"));
    reader.feed(Buffer.buffer("1\nevent: message\ndata: {\"seq\":41}\n"));
    reader.feed(Buffer.buffer("\n: heartbeat\n\nid: 42\r\ndata: a\r\ndata: b\r\n\r\n"));

    assertThat(events).containsExactly("41 message {\"seq\":41}", "42 message a\nb");
  }
}
