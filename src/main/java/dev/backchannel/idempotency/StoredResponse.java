package dev.backchannel.idempotency;

/** A successful response kept so that a retried request gets the same answer (contract §5.9). */
public record StoredResponse(int status, String contentType, byte[] body, String source) {}
