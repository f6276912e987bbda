package dev.backchannel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP endpoint on 127.0.0.1 that records the webhook calls it gets and answers each with the
 * next scripted status (200 once the script runs out).
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One received call. Header names are lower case. */
  public record Call(String method, String path, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(http);
      http.createContext("/", receiver::handle);
      http.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statuses to answer the next calls with, in order. */
  public WebhookReceiver answer(Integer... statuses) {
    script.addAll(List.of(statuses));
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The next call, waiting up to {@code timeout}; null if none came. */
  public Call next(Duration timeout) {
    try {
      return calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Calls received but not yet taken with {@link #next}. */
  public List<Call> drain() {
    List<Call> out = new ArrayList<>();
    calls.drainTo(out);
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new java.util.HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
    Integer status = script.poll();
    exchange.sendResponseHeaders(status == null ? 200 : status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
