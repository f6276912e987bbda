package dev.backchannel.store;

/** The database could not be opened or migrated; the server cannot start on it. */
public final class StoreOpenException extends RuntimeException {
  public StoreOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
