package dev.backchannel.error;

import java.util.Locale;

/**
 * The catalogue of errors the API answers with: HTTP status, stable wire code and a default
 * message. The wire code is the constant's name in lower case (contract §1.5).
 */
public enum ApiError {
  INVALID_JSON(400, "Request body is not valid JSON"),
  INVALID_CONTENT_LENGTH(400, "Invalid Content-Length header"),
  INVALID_URL(400, "The request path or query string is not valid percent-encoding"),
  BAD_REQUEST(400, "The request is not valid HTTP"),
  INVALID_JSON_SHAPE(422, "Request body must be a JSON object"),
  PAYLOAD_TOO_LARGE(413, "Request body is too large"),
  HEADERS_TOO_LARGE(431, "Request headers are too large"),
  URI_TOO_LONG(414, "Request URI is too long"),
  METADATA_TOO_LARGE(422, "metadata is too large"),
  NOT_FOUND(404, "Not found"),

  UNAUTHORIZED(401, "Invalid API key"),
  KEY_EXPIRED(410, "API key has expired"),
  RATE_LIMIT_EXCEEDED(429, "Rate limit exceeded"),
  INSUFFICIENT_SCOPE(403, "The API key lacks the scope this operation needs"),
  MINTING_CLOSED(403, "Public key minting is closed on this instance"),
  LABEL_IN_USE(409, "An active key already uses this agent_label"),
  FORBIDDEN(403, "Only the channel owner may do this"),

  MISSING_FIELD(422, "A required field is missing"),
  INVALID_STRING(422, "Field must be a non-empty string"),
  INVALID_OBJECT(422, "Field must be a JSON object"),
  INVALID_FIELD(422, "Invalid field"),
  INVALID_FIELDS(422, "Unknown fields"),
  INVALID_SCOPES(422, "scopes must be an array of strings"),
  INVALID_SCOPE(422, "Unknown scope"),
  INVALID_CHANNEL_NAME(422, "Invalid channel name"),
  INVALID_MODE(422, "mode must be 'broadcast' or 'claimable'"),
  INVALID_ACCESS(422, "access must be 'open' or 'restricted'"),
  INVALID_DISCOVERABLE(422, "discoverable must be a boolean"),
  INVALID_PAUSED(422, "paused must be a boolean"),
  INVALID_TTL_SECONDS(422, "ttl_seconds must be an integer between 300 and 2592000"),
  INVALID_RETENTION_DAYS(422, "retention_days must be an integer between 1 and 365"),
  INVALID_MAX_MESSAGES(422, "max_messages must be null or an integer between 1 and 1000000"),
  INVALID_MAX_WRITES_PER_MINUTE(422, "max_writes_per_minute must be null or an integer between 1 and 1000000"),
  INVALID_MAX_DELIVERIES(422, "max_deliveries must be null or an integer between 1 and 1000"),
  INVALID_MAX_IN_FLIGHT(422, "max_in_flight must be null or an integer between 1 and 100000"),
  INVALID_RELATED_CHANNELS(422, "related_channels must be an array of channel ids or aliases"),
  INVALID_LIMIT(422, "limit must be an integer between 1 and 100"),
  INVALID_STATUS(422, "status must be 'unclaimed' or 'claimed'"),
  INVALID_CURSOR(422, "cursor must be 0, a sequence number or an ISO-8601 timestamp"),
  INVALID_WAIT(422, "wait must be a number of seconds"),
  INVALID_TIMESTAMP(422, "Invalid timestamp"),
  INVALID_LEASE_SECONDS(422, "lease_seconds must be an integer between 30 and 3600"),
  INVALID_MENTIONS(422, "mentions must be an array of actor ids or aliases"),
  INVALID_WEBHOOK_URL(422, "url must start with http:// or https://"),
  CONTENT_TOO_LARGE(422, "content is too large"),
  INVALID_FENCE(422, "fence must be a non-negative integer"),
  INVALID_PRIORITY(422, "priority must be an integer between 0 and 9"),
  INVALID_DELAY(422, "delay_seconds must be a non-negative integer, deliver_at a timestamp before the message expires"),
  INVALID_MATCH(422, "match must be an object of metadata keys to string, number or boolean values"),
  METADATA_VALIDATION_FAILED(422, "metadata does not match the channel's metadata_schema"),

  CHANNEL_NOT_FOUND(404, "Channel not found"),
  CHANNEL_ACCESS_DENIED(403, "This channel is restricted to its members"),
  ALIAS_CONFLICT(409, "Alias is already in use"),
  ACCESS_REQUEST_NOT_FOUND(404, "Access request not found"),
  ACCESS_REQUEST_RESOLVED(409, "Access request already resolved"),
  CANNOT_REMOVE_OWNER(409, "The channel owner cannot be removed"),
  INVITATION_NOT_FOUND(404, "Invitation not found"),
  INVITATION_REVOKED(410, "Invitation has been revoked"),
  INVITATION_EXPIRED(410, "Invitation has expired"),
  API_KEY_REQUIRED(401, "An API key is required to resolve an invitation"),
  CHANNEL_PAUSED(503, "Channel is paused; writes are not accepted"),
  CHANNEL_WRITE_RATE_EXCEEDED(429, "Channel write rate exceeded"),

  TOO_MANY_STREAMS(429, "This key has too many open streams"),
  STREAMS_AT_CAPACITY(503, "The server holds as many streams as it accepts; retry shortly"),
  INVALID_STREAM_TOKEN(401, "Stream token is invalid or expired"),
  INVALID_EVENTS(422, "events must list message, claimed, released, acked, expired, retracted"),
  INVALID_HEARTBEAT(422, "heartbeat must be an integer number of seconds between 5 and 120"),
  INVALID_TTL(422, "ttl_seconds is out of range"),

  MENTION_NOT_FOUND(404, "Mention not found"),
  MENTION_CLAIMED(409, "Another key is handling this mention"),
  INVALID_INBOX_STATUS(422, "status must be pending, seen or completed (or all, when listing)"),
  INVALID_COMPLETION_REF(422, "completion_ref must name a message you can read: {source_type: message, source_id}"),

  ACTOR_NOT_FOUND(404, "Actor not found"),
  ACTOR_FORBIDDEN(403, "This actor belongs to another owner"),
  WEBHOOK_NOT_FOUND(404, "No webhook registered for this actor"),

  MESSAGE_NOT_FOUND(404, "Message not found"),
  MESSAGE_EXPIRED(410, "Message has expired"),
  CHANNEL_NOT_CLAIMABLE(409, "Messages in this channel cannot be claimed"),
  ALREADY_CLAIMED(409, "This message has already been claimed"),
  NOT_CLAIMED(409, "This message is not claimed"),
  STALE_CLAIM(409, "This claim's fence is stale: another worker holds the message now"),
  TOO_MANY_IN_FLIGHT(429, "This actor holds as many unacknowledged claims as the channel allows"),
  LEASE_EXPIRED(410, "Lease not found or already expired"),
  MESSAGE_CLAIMED(409, "A claimed message cannot be retracted"),
  IDEMPOTENCY_RESPONSE_LOST(409, "A request with this Idempotency-Key was applied, but its response was lost when"
      + " the server stopped; read the resource instead of retrying"),
  RESULT_NOT_READY(404, "No result has been posted for this task yet"),
  SESSION_NOT_FOUND(404, "Session not found"),

  ADMIN_DISABLED(403, "Admin API is disabled on this instance"),
  ADMIN_UNAUTHORIZED(401, "Missing or invalid X-Admin-Token"),

  INVALID_BACKUP_NAME(422, "path must be a file name inside the backup directory"),
  BACKUP_EXISTS(409, "A backup with this name already exists"),
  BACKUP_IN_PROGRESS(409, "Another backup is running; retry when it has finished"),
  BACKUP_FAILED(503, "The backup could not be written; see the server log"),
  BACKUP_UNSUPPORTED(501, "This store is backed up with the database's own tools (pg_dump for PostgreSQL)"),

  MCP_SESSION_REQUIRED(400, "Send the Mcp-Session-Id header that initialize returned"),
  MCP_SESSION_NOT_FOUND(404, "Unknown or expired MCP session; initialize again"),
  MCP_SESSIONS_FULL(503, "Too many open MCP sessions; retry later"),
  UNSUPPORTED_PROTOCOL_VERSION(400, "Unsupported MCP-Protocol-Version"),
  ORIGIN_NOT_ALLOWED(403, "Requests from another origin are refused"),
  METHOD_NOT_ALLOWED(405, "This endpoint does not serve that method"),

  STORAGE_UNAVAILABLE(503, "Storage is unavailable; the write was not applied"),
  SERVICE_UNAVAILABLE(503, "Service is shutting down"),
  INTERNAL_SERVER_ERROR(500, "Internal server error");

  private final int status;
  private final String defaultMessage;

  ApiError(int status, String defaultMessage) {
    this.status = status;
    this.defaultMessage = defaultMessage;
  }

  public int status() {
    return status;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String defaultMessage() {
    return defaultMessage;
  }

  public ApiException exception() {
    return new ApiException(this, defaultMessage);
  }

  public ApiException exception(String message) {
    return new ApiException(this, message);
  }
}
