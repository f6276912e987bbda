package dev.backchannel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTextTest {
  @Test
  void sumsSeriesByNameAndLabel() {
    MetricsText metrics = MetricsText.parse("""
        # HELP jvm_memory_used_bytes The amount of used memory
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 4194304.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 6389760.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 2.3780272E7
        backchannel_streams_open 12.0
        """);

    assertThat(metrics.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(10_584_064);
    assertThat(metrics.sum("jvm_memory_used_bytes", "Eden")).isEqualTo(4_194_304);
    assertThat(metrics.value("backchannel_streams_open")).isEqualTo(12);
    assertThat(metrics.value("process_resident_memory_bytes")).isNaN();
  }
}
