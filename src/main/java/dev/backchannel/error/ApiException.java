package dev.backchannel.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client caused or must know about. Rendered as the error envelope of contract
 * §1.5; {@link #details()} are merged into the envelope at the top level.
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final Map<String, Object> details;

  public ApiException(ApiError error, String message) {
    this(error, message, Map.of());
  }

  public ApiException(ApiError error, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.error = error;
    this.details = details.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public ApiError error() {
    return error;
  }

  public int status() {
    return error.status();
  }

  public Map<String, Object> details() {
    return details;
  }

  public ApiException with(String key, Object value) {
    Map<String, Object> merged = new LinkedHashMap<>(details);
    merged.put(key, value);
    return new ApiException(error, getMessage(), merged);
  }
}
