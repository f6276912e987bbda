package dev.backchannel.http;

import dev.backchannel.stream.SseSink;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** An SSE stream's HTTP response. */
final class ResponseSink implements SseSink {
  private final HttpServerResponse response;
  private boolean headersDropped;

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
      Future<Void> written = response.write(frame);
      if (!headersDropped) {
        headersDropped = true;
        written.onComplete(done -> dropHeaders());
      }
    }
  }

  /**
   * Once the first write has gone out the head is on the wire, and nothing reads the response's
   * header map again (the end of a chunked response writes only the last chunk). An idle stream
   * would otherwise keep its sixteen or so headers, about 800 bytes, for as long as it is open.
   */
  private void dropHeaders() {
    response.headers().clear();
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
