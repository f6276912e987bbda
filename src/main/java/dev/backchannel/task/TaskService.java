package dev.backchannel.task;

import dev.backchannel.channel.Access;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelDraft;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.Invitation;
import dev.backchannel.channel.MembershipService;
import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.key.Caller;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageDraft;
import dev.backchannel.message.MessageService;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;

/** The {@code /v1/tasks/*} verbs (contract §4.9): compositions of channel and message operations. */
public final class TaskService {
  private final Store store;
  private final ChannelService channels;
  private final MembershipService memberships;
  private final MessageService messages;

  public TaskService(Store store, ChannelService channels, MembershipService memberships, MessageService messages) {
    this.store = store;
    this.channels = channels;
    this.memberships = memberships;
    this.messages = messages;
  }

  /** A posted task and the channel it was posted to. */
  public record Posted(Channel channel, Message message) {}

  /** A task with the result channel its worker answers on. */
  public record WithResult(Channel work, Channel result, Message message) {}

  /** Creates a new claimable channel named {@code channelName} and posts the task to it. */
  public Posted post(Tx tx, Caller caller, String channelName, MessageDraft draft) {
    Channel channel = channels.create(tx, caller, ChannelDraft.of(channelName, ChannelMode.CLAIMABLE, Access.OPEN));
    return new Posted(channel, messages.post(tx, caller, channel.id(), draft));
  }

  /** Posts the task to a new claimable channel and creates its {@code result-of-<id>} broadcast channel. */
  public WithResult postWithResult(Tx tx, Caller caller, String channelName, MessageDraft draft) {
    Channel work = channels.create(tx, caller, ChannelDraft.of(channelName, ChannelMode.CLAIMABLE, Access.OPEN));
    Message message = messages.post(tx, caller, work.id(), draft);
    String resultName = resultChannel(message.id());
    ChannelDraft resultDraft = ChannelDraft.of(resultName, ChannelMode.BROADCAST, Access.OPEN);
    Channel result = channels.create(tx, caller, resultDraft);
    return new WithResult(work, channels.addAlias(tx, caller, result.id(), resultName), message);
  }

  /**
   * Posts a worker's result to {@code result-of-<taskId>}; any key may, the channel is open. With
   * a {@code fence}, only the current claim of the task may post (409 stale_claim otherwise).
   */
  public Message postResult(Tx tx, Caller caller, String taskId, MessageDraft draft, Long fence) {
    Channel channel = channels.findByIdOrAlias(tx, caller, resultChannel(taskId));
    if (fence != null) {
      messages.requireFence(tx, taskId, fence);
    }
    return messages.post(tx, caller, channel.id(), draft);
  }


  /** The oldest live message of the task's result channel. */
  public Future<Message> result(Caller caller, String taskId) {
    return messages.oldest(caller, resultChannel(taskId))
        .recover(e -> Future.failedFuture(isChannelNotFound(e) ? notReady() : e))
        .map(message -> {
          if (message == null) {
            throw notReady();
          }
          return message;
        });
  }

  /** A restricted claimable channel and a 24-hour invitation to it. */
  public Invitation createClaimableSession(Tx tx, Caller caller, String name, String description) {
    ChannelDraft draft = ChannelDraft.of(name, ChannelMode.CLAIMABLE, Access.RESTRICTED).withDescription(description);
    return memberships.invite(tx, caller, channels.create(tx, caller, draft).id());
  }

  public static String resultChannel(String taskId) {
    return "result-of-" + taskId;
  }

  private static boolean isChannelNotFound(Throwable e) {
    return e instanceof ApiException api && api.error() == ApiError.CHANNEL_NOT_FOUND;
  }

  private static RuntimeException notReady() {
    return ApiError.RESULT_NOT_READY.exception("No result has been posted for this task yet");
  }
}
