package dev.backchannel.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text scrape, for asserting on metric values and labels. */
public final class Scrape {
  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples;

  private Scrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  public static Scrape of(ApiClient api) {
    ApiClient.Response response = api.get("/metrics").send();
    if (response.status() != 200) {
      throw new IllegalStateException("scrape failed: " + response);
    }
    return parse(response.body());
  }

  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher label = LABEL.matcher(m.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new Scrape(text, samples);
  }

  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The sum of every sample with this name whose labels include the given name/value pairs. */
  public double value(String name, String... labelPairs) {
    double sum = 0;
    for (Sample sample : matching(name, labelPairs)) {
      sum += sample.value();
    }
    return sum;
  }

  public List<Sample> matching(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && hasLabels(sample, labelPairs)) {
        out.add(sample);
      }
    }
    return out;
  }

  public boolean has(String name, String... labelPairs) {
    return !matching(name, labelPairs).isEmpty();
  }

  private static boolean hasLabels(Sample sample, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(sample.labels().get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
