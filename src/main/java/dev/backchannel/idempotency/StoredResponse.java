package dev.backchannel.idempotency;

/**
 * A successful response kept so that a retried request gets the same answer (contract §5.9). A
 * pending record (status 0, no body) commits with the request's effect and is completed with the
 * response in the next write; one still pending after a restart means the effect happened but
 * its response was lost with the process.
 */
public record StoredResponse(int status, String contentType, byte[] body, String source) {
  public static StoredResponse pending(String source) {
    return new StoredResponse(0, null, new byte[0], source);
  }

  public boolean isPending() {
    return status == 0;
  }
}
