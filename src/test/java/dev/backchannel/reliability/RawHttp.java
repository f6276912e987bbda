package dev.backchannel.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written byte for byte over a socket, for what {@code java.net.http} refuses to send:
 * invalid UTF-8 in the request line or headers, oversize headers, unknown methods and broken
 * framing. Reads one response (or notes that the server closed the connection without one).
 */
final class RawHttp {
  private static final int TIMEOUT_MS = 15_000;

  /** A response, or {@code status == 0} when the server closed the connection without answering. */
  record Answer(int status, String body, boolean timedOut) {
    boolean closedWithoutAnswer() {
      return status == 0 && !timedOut;
    }
  }

  private final int port;

  RawHttp(int port) {
    this.port = port;
  }

  Answer send(byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(TIMEOUT_MS);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the server may refuse and close while the request is still being written
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!endsWithBlankLine(head)) {
        int b = in.read();
        if (b < 0) {
          return new Answer(0, head.toString(StandardCharsets.ISO_8859_1), false);
        }
        head.write(b);
      }
    } catch (SocketTimeoutException e) {
      return new Answer(0, head.toString(StandardCharsets.ISO_8859_1), true);
    } catch (IOException e) {
      return new Answer(0, "connection reset: " + e.getMessage(), false);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    int length = -1;
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = length >= 0 ? in.readNBytes(length) : new byte[0];
    return new Answer(status, new String(body, StandardCharsets.UTF_8), false);
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream bytes) {
    byte[] b = bytes.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  /** A request with the given request line, extra header lines and body, framed correctly. */
  static byte[] request(String requestLine, String headers, byte[] body) {
    String head = requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
        + "Content-Length: " + body.length + "\r\n\r\n";
    return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
