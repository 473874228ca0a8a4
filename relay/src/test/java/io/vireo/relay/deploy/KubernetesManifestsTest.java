package io.vireo.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.VireoConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kustomize base in deploy/kubernetes: every manifest parsed, and the fields that make a pod
 * work checked against each other and against the vireo.yaml it runs with.
 */
class KubernetesManifestsTest {
  private static final String DIR = "deploy/kubernetes/";

  private static Map<String, Object> kustomization;
  private static Map<String, Object> statefulSet;
  private static Map<String, Object> service;
  private static Map<String, Object> headless;
  private static Map<String, Object> disruptionBudget;
  private static Map<String, Object> pod;
  private static Map<String, Object> container;
  private static VireoConfig config;

  @BeforeAll
  static void read() throws Exception {
    kustomization = DeployTree.yamlMap(DIR + "kustomization.yaml");
    statefulSet = manifest("statefulset.yaml", "apps/v1", "StatefulSet");
    service = manifest("service.yaml", "v1", "Service");
    headless = manifest("service-headless.yaml", "v1", "Service");
    disruptionBudget = manifest("poddisruptionbudget.yaml", "policy/v1", "PodDisruptionBudget");
    pod = DeployTree.at(statefulSet, "spec.template.spec");
    container = named(DeployTree.at(pod, "containers"), "vireo");
    config = DeployTree.config(DIR + "vireo.yaml");
  }

  @Test
  void theKustomizationListsEveryFileOfTheBase() throws IOException {
    assertThat(DeployTree.<String>at(kustomization, "kind")).isEqualTo("Kustomization");
    Set<String> listed = new HashSet<>(DeployTree.<List<String>>at(kustomization, "resources"));
    for (Map<String, Object> generator : generators()) {
      listed.addAll(DeployTree.at(generator, "files"));
    }
    listed.add("kustomization.yaml");
    listed.add("README.md");
    try (Stream<Path> files = Files.list(DeployTree.root().resolve(DIR))) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(listed);
    }
  }

  @Test
  void everyPodMountsTheGeneratedConfigWhereItsCommandLooksForIt() {
    Map<String, Object> generator = generators().getFirst();
    assertThat(DeployTree.<List<String>>at(generator, "files")).containsExactly("vireo.yaml");
    Map<String, Object> volume = named(DeployTree.at(pod, "volumes"), "config");
    assertThat(DeployTree.<String>at(volume, "configMap.name"))
        .isEqualTo(DeployTree.at(generator, "name"));
    Map<String, Object> mount = named(mounts(), "config", "name");
    assertThat(DeployTree.<Boolean>at(mount, "readOnly")).isTrue();
    assertThat(DeployTree.<List<String>>at(container, "args"))
        .containsExactly("serve", "--config", DeployTree.at(mount, "mountPath") + "/vireo.yaml");
    assertThat(DeployTree.<String>at(container, "image")).isEqualTo("vireo");
  }

  @Test
  void eachPodOwnsItsSpoolOnAClaimOfItsOwn() {
    List<Map<String, Object>> claims = DeployTree.at(statefulSet, "spec.volumeClaimTemplates");
    assertThat(claims).hasSize(1);
    String claim = DeployTree.at(claims.getFirst(), "metadata.name");
    assertThat(DeployTree.<List<String>>at(claims.getFirst(), "spec.accessModes"))
        .containsExactly("ReadWriteOnce");
    assertThat(DeployTree.<String>at(claims.getFirst(), "spec.resources.requests.storage"))
        .isNotBlank();
    Map<String, Object> mount = named(mounts(), claim, "name");
    assertThat(config.spool().dir())
        .startsWithRaw(Path.of(DeployTree.<String>at(mount, "mountPath")));
    // Queued mail outlives the StatefulSet and a scale-down.
    Map<String, Object> retention =
        DeployTree.at(statefulSet, "spec.persistentVolumeClaimRetentionPolicy");
    assertThat(retention)
        .containsEntry("whenDeleted", "Retain")
        .containsEntry("whenScaled", "Retain");
  }

  @Test
  void probesAskTheAdminServerOnTheConfiguredPort() {
    assertThat(config.listen().admin().host())
        .as("the kubelet probes the pod's address, not its loopback")
        .isEqualTo("0.0.0.0");
    assertThat(port("admin")).isEqualTo(config.listen().admin().port());
    Map<String, String> paths = Map.of(
        "startupProbe", "/healthz", "livenessProbe", "/healthz", "readinessProbe", "/readyz");
    paths.forEach((probe, path) -> {
      Map<String, Object> httpGet = DeployTree.at(container, probe + ".httpGet");
      assertThat(httpGet).as(probe).containsEntry("path", path).containsEntry("port", "admin");
    });
  }

  @Test
  void theGracePeriodCoversThePreStopWaitAndTheDrain() throws IOException {
    int preStop = DeployTree.at(container, "lifecycle.preStop.sleep.seconds");
    int grace = DeployTree.at(pod, "terminationGracePeriodSeconds");
    assertThat(preStop).isPositive();
    assertThat(Duration.ofSeconds(grace))
        .isGreaterThanOrEqualTo(DeployTree.drainGrace().plusSeconds(preStop + 10));
  }

  @Test
  void selectorsOfTheStatefulSetServicesAndBudgetMatchThePods() {
    Map<String, Object> labels = DeployTree.at(statefulSet, "spec.template.metadata.labels");
    for (Map<String, Object> selector : List.<Map<String, Object>>of(
        DeployTree.at(statefulSet, "spec.selector.matchLabels"),
        DeployTree.at(disruptionBudget, "spec.selector.matchLabels"),
        DeployTree.at(service, "spec.selector"),
        DeployTree.at(headless, "spec.selector"))) {
      assertThat(selector).isNotEmpty();
      assertThat(labels).containsAllEntriesOf(selector);
    }
    assertThat(DeployTree.<Integer>at(disruptionBudget, "spec.maxUnavailable")).isEqualTo(1);
    assertThat(DeployTree.<String>at(statefulSet, "spec.serviceName"))
        .isEqualTo(DeployTree.at(headless, "metadata.name"));
    assertThat(DeployTree.<String>at(headless, "spec.clusterIP")).isEqualTo("None");
  }

  @Test
  void theServiceForwardsSmtpToTheListenerPort() {
    assertThat(config.listen().smtp()).hasSize(1);
    assertThat(config.listen().smtp().getFirst().host()).isEqualTo("0.0.0.0");
    assertThat(port("smtp")).isEqualTo(config.listen().smtp().getFirst().port());
    Map<String, Object> smtp = named(DeployTree.at(service, "spec.ports"), "smtp");
    assertThat(DeployTree.<Integer>at(smtp, "port")).isEqualTo(25);
    assertThat(DeployTree.<String>at(smtp, "targetPort")).isEqualTo("smtp");
  }

  @Test
  void prometheusScrapesMetricsOnTheAdminPort() {
    Map<String, Object> annotations =
        DeployTree.at(statefulSet, "spec.template.metadata.annotations");
    assertThat(annotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/path", "/metrics")
        .containsEntry("prometheus.io/port", String.valueOf(config.listen().admin().port()));
  }

  @Test
  void podsRunAsTheImagesNonRootUserWithNothingToEscalate() throws IOException {
    assertThat(DeployTree.<Boolean>at(pod, "securityContext.runAsNonRoot")).isTrue();
    int uid = DeployTree.at(pod, "securityContext.runAsUser");
    assertThat(uid).isPositive();
    assertThat(DeployTree.read("deploy/container/Containerfile").lines())
        .contains("USER " + uid + ":" + DeployTree.<Integer>at(pod, "securityContext.runAsGroup"));
    assertThat(DeployTree.<Integer>at(pod, "securityContext.fsGroup")).isEqualTo(uid);
    assertThat(DeployTree.<String>at(pod, "securityContext.seccompProfile.type"))
        .isEqualTo("RuntimeDefault");
    assertThat(DeployTree.<Boolean>at(container, "securityContext.allowPrivilegeEscalation"))
        .isFalse();
    assertThat(DeployTree.<List<String>>at(container, "securityContext.capabilities.drop"))
        .containsExactly("ALL");
    // A read-only root needs a writable /tmp for the JVM.
    assertThat(DeployTree.<Boolean>at(container, "securityContext.readOnlyRootFilesystem"))
        .isTrue();
    Map<String, Object> tmp = named(mounts(), "/tmp", "mountPath");
    assertThat(named(DeployTree.at(pod, "volumes"), DeployTree.at(tmp, "name")))
        .containsKey("emptyDir");
  }

  private static Map<String, Object> manifest(String file, String apiVersion, String kind)
      throws IOException {
    Map<String, Object> manifest = DeployTree.yamlMap(DIR + file);
    assertThat(DeployTree.<String>at(manifest, "apiVersion")).as(file).isEqualTo(apiVersion);
    assertThat(DeployTree.<String>at(manifest, "kind")).as(file).isEqualTo(kind);
    assertThat(DeployTree.<String>at(manifest, "metadata.name")).as(file).isNotBlank();
    return manifest;
  }

  private static List<Map<String, Object>> generators() {
    List<Map<String, Object>> generators = DeployTree.at(kustomization, "configMapGenerator");
    assertThat(generators).hasSize(1);
    return generators;
  }

  private static List<Map<String, Object>> mounts() {
    return DeployTree.at(container, "volumeMounts");
  }

  private static int port(String name) {
    return DeployTree.at(named(DeployTree.at(container, "ports"), name), "containerPort");
  }

  private static Map<String, Object> named(List<Map<String, Object>> items, String name) {
    return named(items, name, "name");
  }

  private static Map<String, Object> named(
      List<Map<String, Object>> items, String value, String key) {
    List<Map<String, Object>> matching = new ArrayList<>();
    for (Map<String, Object> item : items) {
      if (value.equals(item.get(key))) {
        matching.add(item);
      }
    }
    assertThat(matching).as(key + " " + value + " in " + items).hasSize(1);
    return matching.getFirst();
  }
}
