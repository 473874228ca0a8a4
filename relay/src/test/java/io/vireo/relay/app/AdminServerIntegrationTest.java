package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.admin.AdminSetupException;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server of a real relay on an ephemeral loopback port: every endpoint through the JDK's
 * HTTP client and through curl, token enforcement, and readiness following the spool's free-space
 * guard.
 */
class AdminServerIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Relay start(String extra) throws Exception {
    return Relay.start(
        ConfigLoader.parse(TestRelays.yaml(dir.resolve("spool"), extra), "test.yaml"));
  }

  @Test
  void everyEndpointAnswersJsonOrPrometheusTextAndErrorsAreJson() throws Exception {
    try (Relay relay = start("")) {
      AdminClient admin = new AdminClient(relay.adminAddress());
      assertThat(relay.adminAddress().getAddress().isLoopbackAddress()).isTrue();

      AdminClient.Reply health = admin.get("/healthz");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.contentType()).isEqualTo("application/json");
      assertThat(health.body()).isEqualTo("{\"status\":\"alive\"}\n");

      AdminClient.Reply ready = admin.get("/readyz");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}\n");

      AdminClient.Reply metrics = admin.get("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).contains("# TYPE vireo_messages_accepted_total counter");

      AdminClient.Reply missing = admin.get("/queue");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.contentType()).isEqualTo("application/json");
      assertThat(missing.body())
          .isEqualTo(
              "{\"error\":{\"code\":\"not_found\",\"message\":\"no such endpoint: /queue\"}}\n");

      AdminClient.Reply post = admin.send("POST", "/healthz");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.raw().headers().firstValue("Allow")).contains("GET, HEAD");
      assertThat(post.body())
          .isEqualTo(
              "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"/healthz answers GET and"
                  + " HEAD, not POST\"}}\n");

      AdminClient.Reply head = admin.send("HEAD", "/readyz");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }
  }

  @Test
  void curlGetsTheSameAnswers() throws Exception {
    try (Relay relay = start("")) {
      AdminClient admin = new AdminClient(relay.adminAddress());

      assertThat(admin.curl("/healthz"))
          .extracting(AdminClient.Reply::status, AdminClient.Reply::body)
          .containsExactly(200, "{\"status\":\"alive\"}\n");
      assertThat(admin.curl("/readyz"))
          .extracting(AdminClient.Reply::status, AdminClient.Reply::body)
          .containsExactly(200, "{\"status\":\"ready\"}\n");
      AdminClient.Reply metrics = admin.curl("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
      assertThat(metrics.body()).contains("vireo_connections_open ");
      AdminClient.Reply missing = admin.curl("/nope");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).contains("\"code\":\"not_found\"");
      AdminClient.Reply delete = admin.curl("/metrics", "--request", "DELETE");
      assertThat(delete.status()).isEqualTo(405);
      assertThat(delete.body()).contains("\"code\":\"method_not_allowed\"");
    }
  }

  @Test
  void aConfiguredTokenIsRequiredEvenOnLoopbackForAllButTheProbes() throws Exception {
    Path tokenFile = dir.resolve("admin.token");
    Files.writeString(tokenFile, "s3cr3t-T0ken\n");
    try (Relay relay = start("admin:\n  token-file: \"" + tokenFile + "\"\n")) {
      AdminClient admin = new AdminClient(relay.adminAddress());

      for (String path : List.of("/metrics", "/nope", "/healthz/", "/readyz/x", "/metrics?x")) {
        AdminClient.Reply none = admin.get(path);
        assertThat(none.status()).as(path).isEqualTo(401);
        assertThat(none.raw().headers().firstValue("WWW-Authenticate"))
            .contains("Bearer realm=\"vireo-admin\"");
        assertThat(none.body())
            .isEqualTo(
                "{\"error\":{\"code\":\"unauthorized\",\"message\":\"this admin server needs a"
                    + " valid bearer token\"}}\n");
        assertThat(admin.get(path, "Authorization", "Bearer s3cr3t-T0keN").status())
            .isEqualTo(401);
        assertThat(admin.get(path, "Authorization", "Bearer s3cr3t-T0ken-and-more").status())
            .isEqualTo(401);
        assertThat(admin.get(path, "Authorization", "Basic czNjcjN0LVQwa2Vu").status())
            .isEqualTo(401);
      }
      // The probes answer anyone: health checkers cannot keep a secret well.
      assertThat(admin.get("/healthz").status()).isEqualTo(200);
      assertThat(admin.get("/readyz", "Authorization", "Bearer wrong").status()).isEqualTo(200);
      assertThat(admin.get("/healthz", "Authorization", "Bearer s3cr3t-T0ken").status())
          .isEqualTo(200);
      assertThat(admin.get("/metrics", "Authorization", "bearer s3cr3t-T0ken").status())
          .isEqualTo(200);
      assertThat(admin.get("/nope", "Authorization", "Bearer s3cr3t-T0ken").status())
          .isEqualTo(404);

      assertThat(admin.curl("/metrics").status()).isEqualTo(401);
      assertThat(admin.curl("/metrics", "--oauth2-bearer", "wrong").status()).isEqualTo(401);
      AdminClient.Reply withToken = admin.curl("/metrics", "--oauth2-bearer", "s3cr3t-T0ken");
      assertThat(withToken.status()).isEqualTo(200);
      assertThat(withToken.body()).contains("vireo_messages_accepted_total");
      assertThat(admin.curl("/readyz").body()).isEqualTo("{\"status\":\"ready\"}\n");
    }
  }

  @Test
  void anUnreadableOrEmptyTokenFileStopsTheStartBeforeTheSpoolOpens() throws Exception {
    Path missing = dir.resolve("absent.token");
    assertThatThrownBy(() -> start("admin:\n  token-file: \"" + missing + "\"\n"))
        .isInstanceOf(AdminSetupException.class)
        .hasMessage("admin.token-file " + missing + ": cannot read it (NoSuchFileException)");
    Path empty = Files.writeString(dir.resolve("empty.token"), " \n");
    assertThatThrownBy(() -> start("admin:\n  token-file: \"" + empty + "\"\n"))
        .isInstanceOf(AdminSetupException.class)
        .hasMessageContaining("must hold one token");
    assertThat(dir.resolve("spool")).doesNotExist();
  }

  @Test
  void readinessFailsWhileTheSpoolIsBelowItsFreeSpaceFloorAndSmtpGets452() throws Exception {
    // No test machine has a petabyte free: the free-space guard trips at once.
    String yaml =
        TestRelays.yaml(dir.resolve("spool"), "")
            .replace("sync: group", "sync: group\n  min-free-space: 1000000GB");
    try (Relay relay = Relay.start(ConfigLoader.parse(yaml, "test.yaml"))) {
      AdminClient admin = new AdminClient(relay.adminAddress());

      AdminClient.Reply ready = admin.get("/readyz");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.contentType()).isEqualTo("application/json");
      assertThat(ready.body())
          .startsWith("{\"status\":\"not_ready\",\"reasons\":[\"the spool's file system has ")
          .endsWith(" MiB usable, below spool.min-free-space (1024000000 MiB)\"]}\n");
      assertThat(admin.curl("/readyz").status()).isEqualTo(503);
      assertThat(admin.get("/healthz").status()).isEqualTo(200);
      assertThat(PrometheusText.parse(admin.get("/metrics").body()).value("vireo_spool_writable"))
          .isZero();

      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        client.command("MAIL FROM:<app@example.com>", 250);
        client.command("RCPT TO:<user@example.net>", 250);
        client.command("DATA", 354);
        client.command("Subject: x\r\n\r\nbody\r\n.", 452);
      }
    }
  }

  @Test
  void readinessIs503AsSoonAsTheListenerStopsWhileAMessageInDataFinishes() throws Exception {
    Relay relay = start("");
    AdminClient admin = new AdminClient(relay.adminAddress());
    Thread closing = null;
    try (SmtpTestClient client =
        SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.test");
      client.command("MAIL FROM:<app@example.com>", 250);
      client.command("RCPT TO:<user@example.net>", 250);
      client.command("DATA", 354);
      client.send("Subject: in flight");

      closing = Thread.ofVirtual().name("relay-close").start(relay::close);
      Await.until("/readyz says 503", WAIT, () -> admin.readyStatus() == 503);
      assertThat(admin.get("/readyz").body())
          .contains("the SMTP listener is not accepting connections");
      assertThat(admin.get("/healthz").status()).isEqualTo(200);

      client.send("");
      client.command("body\r\n.", 250);
    } finally {
      if (closing == null) {
        relay.close();
      } else {
        assertThat(closing.join(WAIT)).as("the relay stopped").isTrue();
      }
    }
  }

  @Test
  void aServedRelayPrintsItsAdminAddressAndAnswersThere() throws Exception {
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(config, TestRelays.yaml(dir.resolve("spool"), ""));
    try (RelayProcess relay = RelayProcess.serve(config)) {
      relay.awaitReady(WAIT);
      AdminClient admin = new AdminClient(relay.adminAddress());
      assertThat(admin.curl("/healthz").status()).isEqualTo(200);
      assertThat(admin.get("/readyz").status()).isEqualTo(200);
    }
  }

  @Test
  void serveNamesTheAdminAddressWhenItsPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = dir.resolve("vireo.yaml");
      Files.writeString(
          config,
          TestRelays.yaml(dir.resolve("spool"), "")
              .replace("admin: 127.0.0.1:0", "admin: 127.0.0.1:" + taken.getLocalPort()));

      ProcessRunner.Result result = RelayProcess.run(WAIT, "serve", "--config", config.toString());

      assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
      assertThat(result.output())
          .contains(
              "vireo: cannot start: listen.admin 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void configCheckReadsTheTokenFileAsServeWould() throws Exception {
    Path config = dir.resolve("conf/vireo.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config, "listen: { admin: 0.0.0.0:8425 }\nadmin: { token-file: admin.token }\n");

    ProcessRunner.Result missing = RelayProcess.run(WAIT, "config", "check", config.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output())
        .contains(
            "admin.token-file "
                + dir.resolve("conf/admin.token").toAbsolutePath()
                + ": cannot read it (NoSuchFileException)");

    Files.writeString(dir.resolve("conf/admin.token"), "t0ken\n");
    ProcessRunner.Result ok = RelayProcess.run(WAIT, "config", "check", config.toString());
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ok.output()).contains(config + ": ok");
  }

  @Test
  void serveRefusesANonLoopbackAdminAddressWithoutATokenFile()
      throws IOException, InterruptedException {
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(
        config,
        TestRelays.yaml(dir.resolve("spool"), "")
            .replace("admin: 127.0.0.1:0", "admin: 0.0.0.0:0"));
    ProcessRunner.Result result = RelayProcess.run(WAIT, "serve", "--config", config.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains(
            "listen.admin",
            "0.0.0.0:0 is not a loopback address: set admin.token-file so admin requests need a"
                + " bearer token");
    assertThat(dir.resolve("spool")).doesNotExist();
  }
}
