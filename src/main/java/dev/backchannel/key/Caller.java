package dev.backchannel.key;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The authenticated principal of a request: the key that signed it and the owner it belongs to
 * (contract §2.2).
 *
 * @param scopes the allowed scopes, or null when unrestricted
 */
public record Caller(String keyId, String ownerId, String agentLabel, String plan, Set<Scope> scopes) {

  /** The actor name used when a request names none: the agent label, else the owner id. */
  public String defaultActorName() {
    if (agentLabel != null && !agentLabel.isEmpty()) {
      return agentLabel;
    }
    return ownerId != null && !ownerId.isEmpty() ? ownerId : "default";
  }

  public void require(Scope scope) {
    if (scopes != null && !scopes.contains(scope)) {
      TreeSet<String> granted = new TreeSet<>();
      scopes.forEach(s -> granted.add(s.wire()));
      throw new ApiException(ApiError.INSUFFICIENT_SCOPE,
          "This operation requires the '" + scope.wire() + "' scope",
          Map.of("required_scope", scope.wire(), "granted_scopes", granted.stream().toList()));
    }
  }
}
