package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.maintenance.Backup;
import dev.backchannel.maintenance.BackupService;
import io.vertx.ext.web.RoutingContext;

/** Operator routes beyond the contract: online backups into the configured directory. */
final class OpsRoutes implements RouteGroup {
  private final BackupService backups;

  OpsRoutes(BackupService backups) {
    this.backups = backups;
  }

  @Override
  public void mount(Api api) {
    api.admin(POST, "/v1/admin/backup", this::backup);
  }

  /** {@code path} names a file inside {@code backup_dir}; a client never chooses a directory. */
  private void backup(RoutingContext ctx) {
    String name = Requests.body(ctx).optionalString("path");
    Api.respond(ctx, backups.backup(name), 201, OpsRoutes::backup);
  }

  private static ObjectNode backup(Backup backup) {
    ObjectNode out = Wire.object();
    out.put("file", backup.name());
    out.put("size_bytes", backup.sizeBytes());
    out.put("duration_ms", backup.duration().toMillis());
    out.put("created_at", Wire.time(backup.finishedAt()));
    return out;
  }
}
