package dev.edgeweave.testbed.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose lab (infra/docker-compose.yml), checked without a Docker engine (none runs on these machines):
 * every service has an image or a build whose Dockerfile and module exist; every dependency names a service;
 * every port mapping is well formed; Prometheus scrapes every edgeweave service's /metrics port and Flink's
 * reporter; Grafana's provisioning and dashboards parse and use Prometheus.
 */
class DockerComposeTest {

    static final Path INFRA = Path.of("..", "infra");

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path p) throws IOException {
        return new Yaml().load(Files.readString(p));
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyServiceCanBeBuiltOrPulledAndItsDependenciesExist() throws IOException {
        Map<String, Object> compose = yaml(INFRA.resolve("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertTrue(services.keySet().containsAll(List.of("kafka", "scheduler-1", "scheduler-2", "flink-jobmanager",
                "flink-taskmanager", "planner-submit", "prometheus", "grafana", "ollama")), services.keySet().toString());
        assertEquals(7, services.keySet().stream().filter(s -> s.startsWith("connector-")).count(),
                "one connector per bristol-7 server");
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = e.getValue();
            assertTrue(s.containsKey("image") ^ s.containsKey("build"), name + ": an image or a build, not both");
            if (s.containsKey("build")) {
                Map<String, Object> build = (Map<String, Object>) s.get("build");
                Path context = INFRA.resolve((String) build.get("context")).normalize();
                Path dockerfile = context.resolve((String) build.get("dockerfile"));
                assertTrue(Files.isRegularFile(dockerfile), name + ": " + dockerfile);
                Map<String, Object> args = (Map<String, Object>) build.get("args");
                if (args != null && args.containsKey("MODULE")) {
                    assertTrue(Files.isRegularFile(context.resolve(args.get("MODULE") + "/pom.xml")),
                            name + ": module " + args.get("MODULE"));
                }
            }
            Object deps = s.get("depends_on");
            Set<String> names = deps instanceof Map<?, ?> m ? (Set<String>) m.keySet()
                    : deps == null ? Set.of() : new HashSet<>((List<String>) deps);
            for (String d : names) {
                assertTrue(services.containsKey(d), name + " depends on unknown service " + d);
            }
            for (Object port : (List<Object>) s.getOrDefault("ports", List.of())) {
                assertTrue(String.valueOf(port).matches("\\d{2,5}:\\d{2,5}"), name + ": port " + port);
            }
        }
        Map<String, Object> connector = services.get("connector-edge-3");
        Map<String, Object> env = (Map<String, Object>) connector.get("environment");
        assertEquals("edge-3", env.get("EDGEWEAVE_CONNECTOR_NODE_ID"));
        assertEquals("kafka:9092", env.get("EDGEWEAVE_KAFKA_BOOTSTRAP"), "the shared environment is merged in");
    }

    @SuppressWarnings("unchecked")
    @Test
    void prometheusScrapesEveryServicesMetricsPort() throws IOException {
        Map<String, Object> compose = yaml(INFRA.resolve("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Set<String> targets = new HashSet<>();
        Map<String, Object> prom = yaml(INFRA.resolve("prometheus/prometheus.yml"));
        for (Map<String, Object> job : (List<Map<String, Object>>) prom.get("scrape_configs")) {
            for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
                targets.addAll((List<String>) sc.get("targets"));
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            Map<String, Object> env = (Map<String, Object>) e.getValue().getOrDefault("environment", Map.of());
            Object port = env.get(e.getKey().startsWith("connector-") ? "EDGEWEAVE_CONNECTOR_HTTP_PORT"
                    : "EDGEWEAVE_SCHEDULER_HTTP_PORT");
            if (e.getKey().startsWith("connector-") || e.getKey().startsWith("scheduler-")) {
                assertTrue(targets.contains(e.getKey() + ":" + port), e.getKey() + ":" + port + " not in " + targets);
            }
        }
        assertTrue(targets.containsAll(List.of("flink-jobmanager:9249", "flink-taskmanager:9249")), targets.toString());
        for (String t : targets) {
            assertTrue(services.containsKey(t.substring(0, t.indexOf(':'))), "target " + t + " is no service");
        }
    }

    @Test
    void grafanaProvisionsPrometheusAndDashboardsThatParse() throws IOException {
        assertTrue(Files.isRegularFile(INFRA.resolve("grafana/provisioning/datasources/prometheus.yml")));
        assertTrue(Files.isRegularFile(INFRA.resolve("grafana/provisioning/dashboards/edgeweave.yml")));
        ObjectMapper json = new ObjectMapper();
        for (String d : List.of("latency", "fairness", "servers", "agents")) {
            JsonNode dash = json.readTree(INFRA.resolve("grafana/dashboards/" + d + ".json").toFile());
            assertFalse(dash.path("panels").isEmpty(), d);
            for (JsonNode p : dash.path("panels")) {
                assertEquals("prometheus", p.path("datasource").path("uid").asText(), d + ": " + p.path("title"));
                assertFalse(p.path("targets").isEmpty(), d + ": " + p.path("title"));
            }
        }
    }
}
