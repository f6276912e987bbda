package dev.backchannel;

import dev.backchannel.actor.ActorService;
import dev.backchannel.actor.DefaultActors;
import dev.backchannel.agent.AgentService;
import dev.backchannel.audit.AuditLog;
import dev.backchannel.channel.ChannelDefaults;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.MembershipService;
import dev.backchannel.config.Config;
import dev.backchannel.database.Database;
import dev.backchannel.http.ApiRouter;
import dev.backchannel.http.HttpApp;
import dev.backchannel.http.HttpDeps;
import dev.backchannel.http.HttpVerticle;
import dev.backchannel.http.RouteTable;
import dev.backchannel.http.Wire;
import dev.backchannel.key.KeyHasher;
import dev.backchannel.key.KeyService;
import dev.backchannel.maintenance.BackupService;
import dev.backchannel.maintenance.Janitor;
import dev.backchannel.maintenance.QueueMetrics;
import dev.backchannel.message.ClaimService;
import dev.backchannel.message.MessageService;
import dev.backchannel.message.Publisher;
import dev.backchannel.message.QueueService;
import dev.backchannel.message.Redelivery;
import dev.backchannel.network.Cidr;
import dev.backchannel.ops.Metrics;
import dev.backchannel.ops.MicrometerMetrics;
import dev.backchannel.ops.ShutdownHooks;
import dev.backchannel.sandbox.Sandbox;
import dev.backchannel.store.CommitSinks;
import dev.backchannel.session.SessionService;
import dev.backchannel.stream.CommitFeed;
import dev.backchannel.stream.StreamService;
import dev.backchannel.task.TaskService;
import dev.backchannel.time.Ticker;
import dev.backchannel.webhook.DeliveryWorker;
import dev.backchannel.webhook.WebhookOutbox;
import dev.backchannel.webhook.WebhookTargets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The composition root, used by {@code serve} and by tests alike: builds Vert.x with metrics, the
 * store, the services and the HTTP verticles, and stops them in the reverse order.
 */
public final class Server {
  private static final Logger LOG = Logger.getLogger(Server.class.getName());

  private final Config config;
  private final Vertx vertx;
  private final Database store;
  private final Services services;
  private final CommitFeed commits;
  private final CommitFeed live;
  private final PrometheusMeterRegistry registry;
  private final ShutdownHooks shutdownHooks;
  private final List<String> deployments = new ArrayList<>();
  private final List<String> deployed = new ArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private HttpDeps deps;
  private DeliveryWorker webhookWorker;
  private int port;

  private Server(Config config, Vertx vertx, Database store, Services services, CommitFeed commits,
      CommitFeed live, PrometheusMeterRegistry registry, ShutdownHooks shutdownHooks) {
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.services = services;
    this.commits = commits;
    this.live = live;
    this.registry = registry;
    this.shutdownHooks = shutdownHooks;
  }

  /** Opens the database (migrating it), starts serving, and completes once the port is bound. */
  public static Server start(Config config, Clock clock) {
    return start(config, clock, Seams.SYSTEM);
  }

  /** As {@link #start(Config, Clock)}, with the ticker and lease tokens given (tests pin them). */
  public static Server start(Config config, Clock clock, Seams seams) {
    PrometheusMeterRegistry registry = MicrometerMetrics.newRegistry();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(vertxMetricsOptions()))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    MicrometerMetrics metrics = new MicrometerMetrics(registry, clock);
    CommitFeed commits = new CommitFeed();
    CommitFeed live = new CommitFeed();
    Database store;
    try {
      store = Stores.open(vertx, config, clock, metrics, new CommitSinks(commits, live));
    } catch (RuntimeException e) {
      await(vertx.close(), 10);
      throw e;
    }
    store.singleWriter().ifPresent(writer -> metrics.writerQueue(writer::queueDepth));
    Services services = services(config, clock, seams, metrics, store);
    Server server = new Server(config, vertx, store, services, commits, live, registry, new ShutdownHooks());
    try {
      server.serve(clock, seams.ticker(), metrics);
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /**
   * Vert.x's own metrics, labelled by method, status and matched route only: the route is the
   * template every {@code RouteTable} route is named after, never the raw path (contract §5.15),
   * and the client address is left out, so cardinality stays bounded.
   */
  private static MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.EB_SIDE));
  }

  /** Builds every domain service on the store; {@code serve} and the offline commands share this. */
  public static Services services(Config config, Clock clock, Metrics metrics, Database store) {
    return services(config, clock, Seams.SYSTEM, metrics, store);
  }

  private static Services services(Config config, Clock clock, Seams seams, Metrics metrics, Database store) {
    KeyHasher hasher = new KeyHasher(new SecureRandom());
    AuditLog audit = new AuditLog(store.audit());
    ActorService actors = new ActorService(store, store.actors());
    KeyService keys = new KeyService(store, store.keys(), new DefaultActors(store.actors()), audit,
        store.settings(), hasher, clock, seams.ticker(), metrics);
    ChannelService channels = new ChannelService(store, store.channels(), store.memberships(), audit,
        new ChannelDefaults(config.defaultTtlSeconds(), config.defaultRetentionDays(), config.defaultDiscoverable()),
        clock);
    WebhookOutbox webhooks = new WebhookOutbox(store.outbox(), store.actors(), Wire::message);
    MembershipService memberships = new MembershipService(store, channels, store.channels(), store.memberships(),
        hasher, clock, webhooks);
    AgentService agents = new AgentService(store, store.agents(), store.messages(), channels, actors, clock);
    Publisher publisher = new Publisher(store.messages(), store.queues(), channels, store.memberships(), actors,
        agents, webhooks);
    Redelivery redelivery = new Redelivery(store.messages(), store.queues(), channels, publisher, metrics);
    MessageService messages = new MessageService(store, store.messages(), channels, store.memberships(), actors,
        publisher, clock, metrics);
    ClaimService claims = new ClaimService(store, store.messages(), channels, actors, metrics, seams.leaseTokens());
    QueueService queues = new QueueService(store, store.queues(), channels, actors, claims, redelivery);
    TaskService tasks = new TaskService(store, channels, memberships, messages);
    SessionService sessions = new SessionService(store, store.sessions(), clock);
    Janitor janitor = new Janitor(store, store.messages(), store.queues(), redelivery, publisher, store.memberships(),
        store.sessions(), store.idempotency(), store.cleanup(), metrics, config.defaultRetentionDays(), store.outbox());
    QueueMetrics queueMetrics = new QueueMetrics(store.queueStats(), metrics, clock, config.metricsChannelSeries());
    BackupService backups = new BackupService(store.backups(), config.effectiveBackupDir(), clock);
    Sandbox sandbox = new Sandbox(store, keys, store.keys(), channels, store.channels(), messages, store.messages(),
        new Sandbox.Settings(config.sandboxTtlSeconds(), config.sandboxMaxMessages(),
            config.sandboxMaxWritesPerMinute(), config.dbSizeLimitBytes()));
    return new Services(store, keys, actors, channels, memberships, messages, claims, tasks, sessions, audit,
        store.idempotency(), store.cleanup(), janitor, queueMetrics, backups,
        new StreamService(store.messages(), clock), agents, webhooks, sandbox, queues);
  }

  /**
   * Deploys the verticles in dependency order: the store, then keys, channels and messages (each
   * with its caches, commit subscriptions and timers), webhook delivery, the sandbox, and last the
   * HTTP verticles. {@link #stop()} undeploys them in the reverse order.
   */
  private void serve(Clock clock, Ticker ticker, MicrometerMetrics metrics) {
    deploy(new StoreVerticle(store));
    deploy(new KeysVerticle(services.keys(), commits));
    deploy(new ChannelsVerticle(services.channels(), commits));
    deploy(new MessagesVerticle(services, live, config, clock));
    startWebhookDelivery(clock, metrics);
    if (config.sandboxEnabled()) {
      deploy(new SandboxVerticle(services.sandbox()));
    }
    deps = HttpApp.deps(services, config, clock, ticker, metrics, PrometheusScrapingHandler.create(registry));
    List<HttpVerticle> instances = new CopyOnWriteArrayList<>();
    deployments.add(await(vertx.deployVerticle(() -> {
      HttpVerticle verticle = new HttpVerticle(deps, HttpApp.serverOptions(config));
      instances.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(config.effectiveHttpInstances())), 30));
    port = instances.get(0).port();
    if (instances.stream().anyMatch(v -> v.port() != port)) {
      throw new IllegalStateException("HTTP verticles did not share one port");
    }
    LOG.info("Backchannel " + Version.VALUE + " listening on " + config.host() + ":" + port + " (database "
        + config.db().toAbsolutePath() + ")");
  }

  private void deploy(VerticleBase verticle) {
    deployments.add(await(vertx.deployVerticle(verticle), 30));
    deployed.add(verticle.getClass().getSimpleName());
  }

  /** Deployed before the HTTP verticles, so it is undeployed after them; woken by commits that queued a delivery. */
  private void startWebhookDelivery(Clock clock, MicrometerMetrics metrics) {
    DeliveryWorker worker = new DeliveryWorker(store, store.outbox(),
        WebhookTargets.system(Cidr.parseAll(config.webhookAllowedNetworks())), clock, metrics);
    deploy(worker);
    commits.subscribe(batch -> {
      if (services.webhooks().takeQueued()) {
        worker.wake();
      }
    });
    webhookWorker = worker;
  }

  /** Looks for due webhook deliveries now rather than at the next tick (tests, after moving the clock). */
  public void deliverWebhooksNow() {
    webhookWorker.wake();
  }

  public int port() {
    return port;
  }

  public Config config() {
    return config;
  }

  /** Every route the HTTP verticles serve, as mounted by the same route groups (for documentation checks). */
  public List<RouteTable.Entry> routes() {
    return ApiRouter.routes(vertx, deps).entries();
  }

  /** The verticles deployed before the HTTP ones, by class name, in deployment order. */
  public List<String> deployedVerticles() {
    return List.copyOf(deployed);
  }

  public Services services() {
    return services;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Commits this process's caches follow: its own, and other processes' as it learns of them. */
  public CommitFeed commits() {
    return commits;
  }

  /** Every commit of the database in commit order, as streams and long-poll waiters get them. */
  public CommitFeed live() {
    return live;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Where components register work to do before HTTP shutdown (end streams, wake waiters). */
  public ShutdownHooks shutdownHooks() {
    return shutdownHooks;
  }

  /** Runs {@code hook} when the server stops, before the HTTP servers stop accepting requests. */
  public Runnable beforeHttpShutdown(Supplier<Future<?>> hook) {
    return shutdownHooks.beforeHttpShutdown(hook);
  }

  /**
   * Runs the before-HTTP-shutdown hooks (streams end), then undeploys in the reverse order of
   * deployment: the HTTP verticles stop accepting requests and let open ones finish, the timers and
   * commit subscriptions go, and the store drains its writer (every acknowledged write is already
   * committed) and checkpoints the database; then Vert.x closes. Blocking; later calls do nothing.
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long timeout = Math.max(1, config.shutdownTimeoutSeconds()) + 5L;
    try {
      await(shutdownHooks.runBeforeHttp(), timeout);
    } catch (Exception e) {
      LOG.warning("shutdown hooks: " + e.getMessage());
    }
    for (int i = deployments.size() - 1; i >= 0; i--) {
      try {
        await(vertx.undeploy(deployments.get(i)), timeout + 10);
      } catch (Exception e) {
        LOG.warning("undeploying a verticle: " + e.getMessage());
      }
    }
    deployments.clear();
    try {
      await(vertx.close(), timeout);
    } catch (Exception e) {
      LOG.warning("closing Vert.x: " + e.getMessage());
    }
    registry.close();
  }

  static <T> T await(Future<T> future, long seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + seconds + " s", e);
    }
  }

  /** Simulates a crash for tests: drops Vert.x and the writer without draining or checkpointing. */
  Future<Void> abandon() {
    return vertx.close();
  }
}
