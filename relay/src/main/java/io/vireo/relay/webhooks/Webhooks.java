package io.vireo.relay.webhooks;

import io.vireo.config.WebhookConfig;
import io.vireo.relay.events.EventLog;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running webhooks: one dispatcher thread each, over one shared HTTP client. */
public final class Webhooks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final List<WebhookConfig> configs;
  private final List<byte[]> secrets;
  private final List<WebhookDispatcher> dispatchers;
  private final List<Thread> threads = new ArrayList<>();

  private Webhooks(
      List<WebhookConfig> configs, List<byte[]> secrets, List<WebhookDispatcher> dispatchers) {
    this.configs = List.copyOf(configs);
    this.secrets = List.copyOf(secrets);
    this.dispatchers = dispatchers;
  }

  /**
   * Reads every secret file, then starts sending.
   *
   * @throws IOException when a secret file cannot be read or is empty
   */
  public static Webhooks start(List<WebhookConfig> configs, EventLog eventLog, Clock clock)
      throws IOException {
    return start(configs, secrets(configs), eventLog, clock);
  }

  /**
   * Each webhook's secret, in order: read before anything is stopped or started, so an unreadable
   * file changes nothing.
   *
   * @throws IOException when a secret file cannot be read or is empty
   */
  public static List<byte[]> secrets(List<WebhookConfig> configs) throws IOException {
    List<byte[]> secrets = new ArrayList<>();
    for (WebhookConfig config : configs) {
      secrets.add(secret(config));
    }
    return secrets;
  }

  /** Starts sending with secrets already read by {@link #secrets}. */
  public static Webhooks start(
      List<WebhookConfig> configs, List<byte[]> secrets, EventLog eventLog, Clock clock) {
    if (secrets.size() != configs.size()) {
      throw new IllegalArgumentException("one secret per webhook");
    }
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<WebhookDispatcher> dispatchers = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      dispatchers.add(new WebhookDispatcher(configs.get(i), secrets.get(i), eventLog, http, clock));
    }
    Webhooks webhooks = new Webhooks(configs, secrets, dispatchers);
    for (int i = 0; i < dispatchers.size(); i++) {
      webhooks.threads.add(Thread.ofVirtual().name("webhook-" + i).start(dispatchers.get(i)));
      log.info("webhook {} sending {}", WebhookDispatcher.name(configs.get(i).url()), configs.get(i).events());
    }
    return webhooks;
  }

  /** A webhook's name in metrics and logs: its URL without user info or query. */
  public static String name(java.net.URI url) {
    return WebhookDispatcher.name(url);
  }

  static byte[] secret(WebhookConfig config) throws IOException {
    String secret;
    try {
      secret = Files.readString(config.secretFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("webhook secret-file " + config.secretFile() + ": cannot read it (" + e + ")", e);
    }
    if (secret.isEmpty()) {
      throw new IOException("webhook secret-file " + config.secretFile() + " is empty");
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether these are the webhooks running: the same entries, in order, with the same secrets. */
  public boolean sameAs(List<WebhookConfig> otherConfigs, List<byte[]> otherSecrets) {
    if (!configs.equals(otherConfigs) || secrets.size() != otherSecrets.size()) {
      return false;
    }
    for (int i = 0; i < secrets.size(); i++) {
      if (!MessageDigest.isEqual(secrets.get(i), otherSecrets.get(i))) {
        return false;
      }
    }
    return true;
  }

  public List<WebhookStats> stats() {
    return dispatchers.stream().map(WebhookDispatcher::stats).toList();
  }

  /** Stops every dispatcher; a POST in flight is abandoned and sent again after a restart. */
  @Override
  public void close() {
    dispatchers.forEach(WebhookDispatcher::stop);
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      try {
        thread.join(STOP_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
