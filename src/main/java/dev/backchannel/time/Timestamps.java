package dev.backchannel.time;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wire form of points in time (contract §1.4): emitted as Python's {@code isoformat()} of a
 * UTC datetime ({@code 2026-04-06T14:00:00.123456+00:00}, fraction omitted when zero), accepted in
 * every ISO-8601 shape Python's {@code datetime.fromisoformat} takes. Internally time is kept in
 * microseconds since the epoch, the precision of the wire form.
 */
public final class Timestamps {
  private static final Pattern DATE = Pattern.compile(
      "(\\d{4})(?:-(\\d{2})-(\\d{2})|(\\d{2})(\\d{2})|-W(\\d{2})(?:-(\\d))?|W(\\d{2})(\\d)?)");
  private static final Pattern TIME = Pattern.compile(
      "(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d+))?)?)?");
  // A space stands for '+': a cursor echoed into a query string without percent-encoding
  // ("…T14:00:00+00:00") arrives with its '+' decoded to a space.
  private static final Pattern OFFSET = Pattern.compile(
      "(?:Z|([+ -])(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,]\\d+)?)?)?)");

  private Timestamps() {}

  public static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** Truncates to the microsecond precision of the wire. */
  public static Instant truncate(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  public static String format(Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(32);
    pad(out, t.getYear(), 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append('T');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    pad(out, t.getSecond(), 2);
    int micros = t.getNano() / 1_000;
    if (micros != 0) {
      out.append('.');
      pad(out, micros, 6);
    }
    return out.append("+00:00").toString();
  }

  public static String format(long micros) {
    return format(instant(micros));
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }

  /** Parses any ISO-8601 form accepted upstream; naive values are UTC. Empty when it is not one. */
  public static Optional<Instant> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    try {
      Matcher date = DATE.matcher(s);
      if (!date.lookingAt()) {
        return Optional.empty();
      }
      LocalDate day = date(date);
      int pos = date.end();
      if (pos == s.length()) {
        return Optional.of(day.atStartOfDay().toInstant(ZoneOffset.UTC));
      }
      pos++; // any single separator character, as Python accepts ('T', ' ', ...)
      Matcher time = TIME.matcher(s).region(pos, s.length());
      if (!time.lookingAt()) {
        return Optional.empty();
      }
      LocalDateTime local = day.atTime(
          Integer.parseInt(time.group(1)),
          time.group(2) == null ? 0 : Integer.parseInt(time.group(2)),
          time.group(3) == null ? 0 : Integer.parseInt(time.group(3)),
          nanos(time.group(4)));
      pos = time.end();
      ZoneOffset offset = ZoneOffset.UTC;
      if (pos < s.length()) {
        Matcher zone = OFFSET.matcher(s).region(pos, s.length());
        if (!zone.matches()) {
          return Optional.empty();
        }
        offset = offset(zone);
      }
      return Optional.of(local.toInstant(offset).truncatedTo(ChronoUnit.MICROS));
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static LocalDate date(Matcher m) {
    int year = Integer.parseInt(m.group(1));
    if (m.group(2) != null) {
      return LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }
    if (m.group(4) != null) {
      return LocalDate.of(year, Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
    }
    String week = m.group(6) != null ? m.group(6) : m.group(8);
    String weekday = m.group(6) != null ? m.group(7) : m.group(9);
    int dow = weekday == null ? 1 : Integer.parseInt(weekday);
    if (dow < 1 || dow > 7) {
      throw new DateTimeException("weekday");
    }
    LocalDate weekOne = LocalDate.of(year, 1, 4).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    int w = Integer.parseInt(week);
    if (w < 1 || w > weekOne.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
      throw new DateTimeException("week");
    }
    return weekOne.plusWeeks(w - 1L).plusDays(dow - 1L);
  }

  private static int nanos(String fraction) {
    if (fraction == null) {
      return 0;
    }
    String digits = fraction.length() > 6 ? fraction.substring(0, 6) : fraction;
    StringBuilder padded = new StringBuilder(digits);
    while (padded.length() < 9) {
      padded.append('0');
    }
    return Integer.parseInt(padded.toString());
  }

  private static ZoneOffset offset(Matcher zone) {
    if (zone.group(1) == null) {
      return ZoneOffset.UTC;
    }
    int sign = zone.group(1).equals("-") ? -1 : 1;
    int hours = Integer.parseInt(zone.group(2));
    int minutes = zone.group(3) == null ? 0 : Integer.parseInt(zone.group(3));
    int seconds = zone.group(4) == null ? 0 : Integer.parseInt(zone.group(4));
    return ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
  }
}
