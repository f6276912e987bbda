package dev.backchannel.bench;

import java.util.ArrayList;
import java.util.List;

/** The series of one Prometheus text scrape, enough to sum a metric over label sets. */
final class MetricsText {
  private final List<String[]> series;

  private MetricsText(List<String[]> series) {
    this.series = series;
  }

  static MetricsText parse(String text) {
    List<String[]> series = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space > 0) {
        series.add(new String[] {line.substring(0, space), line.substring(space + 1).strip()});
      }
    }
    return new MetricsText(series);
  }

  /** The sum of every series named {@code name} whose labels contain {@code labelPart} (empty: all); NaN if none. */
  double sum(String name, String labelPart) {
    double total = 0;
    boolean found = false;
    for (String[] entry : series) {
      String key = entry[0];
      int brace = key.indexOf('{');
      String metric = brace < 0 ? key : key.substring(0, brace);
      if (metric.equals(name) && (labelPart.isEmpty() || key.contains(labelPart))) {
        total += Double.parseDouble(entry[1]);
        found = true;
      }
    }
    return found ? total : Double.NaN;
  }

  double value(String name) {
    return sum(name, "");
  }
}
