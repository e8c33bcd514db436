package dev.edgeweave.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A connector's metrics in Micrometer, scraped by Prometheus from {@code /metrics}. Labels carry outcomes and
 * reasons, never prompt ids or content.
 *
 * <table>
 *   <caption>Prometheus names</caption>
 *   <tr><td>{@code connector_prompts_received_total}</td><td>attempts taken off the server's topic</td></tr>
 *   <tr><td>{@code connector_results_total{outcome,reason}}</td><td>attempt results produced</td></tr>
 *   <tr><td>{@code connector_records_ignored_total{topic}}</td><td>undecodable or misaddressed records</td></tr>
 *   <tr><td>{@code connector_commands_total{verdict}}</td><td>deployment commands applied, refused, or replayed (an id seen before: ignored)</td></tr>
 *   <tr><td>{@code connector_result_send_errors_total}</td><td>results Kafka did not take (the prompt is served again after a restart)</td></tr>
 *   <tr><td>{@code connector_service_seconds}</td><td>city seconds from receiving an attempt to its result</td></tr>
 *   <tr><td>{@code connector_inflight_prompts}</td><td>attempts received and not yet answered</td></tr>
 *   <tr><td>{@code connector_deployments{status}}</td><td>deployments by status</td></tr>
 * </table>
 */
public final class ConnectorMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter received;
    private final Counter sendErrors;
    private final DistributionSummary service;
    private final Map<String, Counter> byKey = new ConcurrentHashMap<>();
    private final Map<String, Integer> deployments = new ConcurrentHashMap<>();

    /** @param inFlight attempts received and not yet answered */
    public ConnectorMetrics(Supplier<Number> inFlight) {
        received = Counter.builder("connector.prompts.received").description("Attempts taken off the server's topic")
                .register(registry);
        sendErrors = Counter.builder("connector.result.send.errors")
                .description("Results Kafka did not take; the prompt is served again after a restart").register(registry);
        service = DistributionSummary.builder("connector.service.seconds").baseUnit("seconds")
                .description("City seconds from receiving an attempt to producing its result")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("connector.inflight.prompts", () -> inFlight.get().doubleValue())
                .description("Attempts received and not yet answered").register(registry);
        for (String status : new String[] {"LOADING", "READY", "DRAINING", "FAILED"}) {
            Gauge.builder("connector.deployments", () -> deployments.getOrDefault(status, 0))
                    .tag("status", status).description("Deployments by status").register(registry);
        }
    }

    void received() {
        received.increment();
    }

    void result(String outcome, String reason) {
        counter("connector.results", "Attempt results produced", "outcome", outcome, "reason", reason).increment();
    }

    void ignored(String topic) {
        counter("connector.records.ignored", "Undecodable or misaddressed records", "topic", topic, null, null)
                .increment();
    }

    void command(String verdict) {
        counter("connector.commands", "Deployment commands applied, refused, or replayed (an id seen before: ignored)", "verdict", verdict, null, null)
                .increment();
    }

    void sendError() {
        sendErrors.increment();
    }

    void service(double citySeconds) {
        service.record(citySeconds);
    }

    void deployments(Map<String, Integer> byStatus) {
        for (String status : new String[] {"LOADING", "READY", "DRAINING", "FAILED"}) {
            deployments.put(status, byStatus.getOrDefault(status, 0));
        }
    }

    /** Every meter in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String description, String k1, String v1, String k2, String v2) {
        String key = name + "|" + v1 + "|" + v2;
        return byKey.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(name).description(description).tag(k1, v1);
            if (k2 != null) {
                b.tag(k2, v2);
            }
            return b.register(registry);
        });
    }
}
