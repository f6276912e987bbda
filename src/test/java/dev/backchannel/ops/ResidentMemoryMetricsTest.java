package dev.backchannel.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ResidentMemoryMetricsTest {
  @Test
  void exportsTheResidentSetSizeInBytes() {
    assumeTrue(Files.isReadable(ResidentMemoryMetrics.STATUS), "Linux only");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new ResidentMemoryMetrics().bindTo(registry);

    double rss = registry.get("process.resident.memory").gauge().value();
    assertThat(rss).isGreaterThan(10 * 1024 * 1024).isLessThan(Runtime.getRuntime().maxMemory() * 4.0);
  }
}
