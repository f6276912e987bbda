package dev.backchannel.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_resident_memory_bytes}: the resident set size from {@code /proc/self/status}
 * (Linux), which heap figures alone miss (thread stacks, direct buffers, SQLite's page cache).
 * Not registered where that file does not exist.
 */
final class ResidentMemoryMetrics implements MeterBinder {
  static final Path STATUS = Path.of("/proc/self/status");

  @Override
  public void bindTo(MeterRegistry registry) {
    if (Files.isReadable(STATUS)) {
      Gauge.builder("process.resident.memory", ResidentMemoryMetrics::read)
          .description("Resident set size of the server process")
          .baseUnit("bytes")
          .register(registry);
    }
  }

  /** VmRSS in bytes, NaN if it cannot be read. */
  static double read() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // reported as NaN: the scrape goes on
    }
    return Double.NaN;
  }
}
