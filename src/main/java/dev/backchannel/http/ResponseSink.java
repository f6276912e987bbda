package dev.backchannel.http;

import dev.backchannel.stream.SseSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** An SSE stream's HTTP response. */
final class ResponseSink implements SseSink {
  private final HttpServerResponse response;

  ResponseSink(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void write(Buffer frame) {
    if (!response.closed() && !response.ended()) {
      response.write(frame);
    }
  }

  @Override
  public void onDrain(Runnable handler) {
    response.drainHandler(v -> {
      response.drainHandler(null);
      handler.run();
    });
  }

  @Override
  public void end() {
    if (!response.closed() && !response.ended()) {
      response.end();
    }
  }

  @Override
  public void cut() {
    if (!response.closed()) {
      response.reset();
    }
  }
}
