package dev.backchannel.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class QueuedLogHandlerTest {
  private static final Formatter MESSAGE_LINES = new Formatter() {
    @Override
    public String format(LogRecord record) {
      return record.getMessage() + "\n";
    }
  };

  @Test
  void linesArriveInOrderAndFlushWaitsForThem() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QueuedLogHandler handler = new QueuedLogHandler(out, MESSAGE_LINES, Level.INFO);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      handler.publish(new LogRecord(Level.INFO, "line " + i));
      expected.append("line ").append(i).append('\n');
    }
    handler.publish(new LogRecord(Level.FINE, "below the level"));
    handler.flush();
    assertThat(text(out)).isEqualTo(expected.toString());
    handler.close();
  }

  @Test
  void aWarningIsWrittenBeforePublishReturns() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QueuedLogHandler handler = new QueuedLogHandler(out, MESSAGE_LINES, Level.INFO);
    handler.publish(new LogRecord(Level.INFO, "before"));
    handler.publish(new LogRecord(Level.WARNING, "the warning"));
    assertThat(text(out)).isEqualTo("before\nthe warning\n");
    handler.close();
  }

  @Test
  void aStalledStreamDropsInfoLinesAndSaysHowMany() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream stalled = new OutputStream() {
      @Override
      public void write(int b) {
        out.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        out.write(bytes, offset, length);
      }
    };
    QueuedLogHandler handler = new QueuedLogHandler(stalled, MESSAGE_LINES, Level.INFO);
    long started = System.nanoTime();
    for (int i = 0; i < 40_000; i++) {
      handler.publish(new LogRecord(Level.INFO, "line " + i));
    }
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
    release.countDown();
    handler.publish(new LogRecord(Level.INFO, "after"));
    handler.flush();
    handler.publish(new LogRecord(Level.INFO, "last"));
    handler.flush();
    String written = text(out);
    assertThat(written).startsWith("line 0\n").contains("log lines dropped").endsWith("last\n");
    assertThat(written.lines().filter(line -> line.startsWith("line ")).count()).isLessThan(40_000);
    handler.close();
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }
}
