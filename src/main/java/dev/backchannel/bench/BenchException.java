package dev.backchannel.bench;

/** A request that did not get the answer a scenario needs; {@code label} is what the error tally counts. */
final class BenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BenchException(String label) {
    super(label, null, false, false);
  }

  /** The tally label of any failure: a {@link BenchException}'s own, else the exception's class and message. */
  static String label(Throwable failure) {
    if (failure instanceof BenchException) {
      return failure.getMessage();
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
