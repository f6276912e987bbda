package dev.backchannel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Reads a server-sent event stream on a background thread; frames are taken with timeouts. */
public final class SseClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Frame END = new Frame(null, "__end__", null);

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Thread reader;

  /** One event: {@code id:}, {@code event:} and the joined {@code data:} lines. */
  public record Frame(String id, String event, String data) {
    public long seq() {
      return Long.parseLong(id);
    }
  }

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  public static SseClient open(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(request::header);
    try {
      return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (event != null || data != null) {
            frames.add(new Frame(id, event == null ? "message" : event, data == null ? "" : data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
        }
      }
    } catch (IOException e) {
      // closed by us or cut by the server: both end the stream
    } finally {
      ended.set(true);
      frames.add(END);
    }
  }

  /** The next frame, or null on timeout or when the stream ended. */
  public Frame next(Duration timeout) {
    try {
      Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == END) {
        frames.add(END);
        return null;
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Up to {@code count} frames, stopping early at the deadline or the end of the stream. */
  public List<Frame> take(int count, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    List<Frame> out = new ArrayList<>();
    while (out.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Frame frame = next(Duration.ofNanos(left));
      if (frame == null) {
        break;
      }
      out.add(frame);
    }
    return out;
  }

  public int comments() {
    return comments.get();
  }

  /** Whether the server ended the stream (cleanly or by cutting it). */
  public boolean awaitEnd(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!ended.get() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return ended.get();
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // already closed
    }
    reader.interrupt();
  }
}
