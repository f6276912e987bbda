package dev.backchannel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** One HTTP answer: its status and body. */
record Reply(int status, Buffer body) {
  static final ObjectMapper JSON = new ObjectMapper();

  JsonNode json() {
    try {
      return JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw new BenchException("unparseable JSON answer (" + status + ")");
    }
  }

  /** This reply, or a {@link BenchException} naming the status and error code when it is not {@code expected}. */
  Reply expect(int expected) {
    if (status != expected) {
      throw new BenchException(status + " " + errorCode());
    }
    return this;
  }

  /** The {@code error} field of a JSON error answer, or {@code "?"}. */
  String errorCode() {
    try {
      JsonNode error = JSON.readTree(body.getBytes()).get("error");
      return error == null ? "?" : error.asText();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
