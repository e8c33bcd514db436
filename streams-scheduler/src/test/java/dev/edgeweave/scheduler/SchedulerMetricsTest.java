package dev.edgeweave.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.v1.ReasonCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** {@code /metrics} carries the counters, the decision histogram and the in-flight gauge; {@code /health} the state. */
class SchedulerMetricsTest {

    @Test
    void theMetricsTextCarriesEveryCounterAfterIncrementing() {
        SchedulerCounters counters = new SchedulerCounters();
        try (SchedulerMetrics metrics = new SchedulerMetrics(counters, () -> 7)) {
            counters.routed.addAndGet(5);
            counters.rerouted.addAndGet(2);
            counters.completed.addAndGet(3);
            counters.countRejection(ReasonCode.NO_CAPACITY);
            counters.countRejection(ReasonCode.RETRIES_EXHAUSTED);
            counters.countRejection(ReasonCode.RETRIES_EXHAUSTED);
            counters.countDeadLetter(ReasonCode.INVALID);
            counters.countDeadLetter(ReasonCode.DUPLICATE);
            counters.countDeadLetter(ReasonCode.DUPLICATE);
            counters.ignoredResults.addAndGet(4);
            counters.badTelemetry.incrementAndGet();
            counters.recordDecision(3_000);     // 3 µs
            counters.recordDecision(40_000);    // 40 µs

            String text = metrics.scrape();
            assertLine(text, "scheduler_prompts_routed_total 5.0");
            assertLine(text, "scheduler_prompts_rerouted_total 2.0");
            assertLine(text, "scheduler_prompts_completed_total 3.0");
            assertLine(text, "scheduler_prompts_rejected_total{reason=\"NO_CAPACITY\"} 1.0");
            assertLine(text, "scheduler_prompts_rejected_total{reason=\"RETRIES_EXHAUSTED\"} 2.0");
            assertLine(text, "scheduler_prompts_rejected_total{reason=\"DEADLINE_EXCEEDED\"} 0.0");
            assertLine(text, "scheduler_prompts_dead_lettered_total{reason=\"INVALID\"} 1.0");
            assertLine(text, "scheduler_prompts_dead_lettered_total{reason=\"DUPLICATE\"} 2.0");
            assertLine(text, "scheduler_results_ignored_total 4.0");
            assertLine(text, "scheduler_telemetry_ignored_total 1.0");
            assertLine(text, "scheduler_inflight_prompts 7.0");
            assertLine(text, "scheduler_decision_seconds_count 2");
            assertLine(text, "scheduler_decision_seconds_bucket{le=\"5.0E-6\"} 1");
            assertLine(text, "scheduler_decision_seconds_bucket{le=\"5.0E-5\"} 2");
            assertLine(text, "scheduler_decision_seconds_bucket{le=\"+Inf\"} 2");
            assertEquals(2, counters.decisions());
        }
    }

    @Test
    void closingStopsFeedingTheTimer() {
        SchedulerCounters counters = new SchedulerCounters();
        SchedulerMetrics metrics = new SchedulerMetrics(counters, () -> Double.NaN);
        metrics.close();
        counters.recordDecision(1_000); // must not reach the closed registry
        assertEquals(1, counters.decisions());
    }

    @Test
    void healthFollowsTheStreamsStateAndMetricsAreServed() throws Exception {
        SchedulerCounters counters = new SchedulerCounters();
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
        try (SchedulerMetrics metrics = new SchedulerMetrics(counters, () -> 0);
             dev.edgeweave.config.StatusServer http = SchedulerHttpServer.start(0, metrics::scrape, state::get)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + http.port());

            assertEquals(503, get(client, base.resolve("/health")).statusCode());
            state.set(KafkaStreams.State.REBALANCING);
            assertEquals(200, get(client, base.resolve("/health")).statusCode());
            state.set(KafkaStreams.State.RUNNING);
            HttpResponse<String> ok = get(client, base.resolve("/health"));
            assertEquals(200, ok.statusCode());
            assertEquals("RUNNING\n", ok.body());
            state.set(KafkaStreams.State.ERROR);
            assertEquals(503, get(client, base.resolve("/health")).statusCode());

            counters.completed.incrementAndGet();
            HttpResponse<String> m = get(client, base.resolve("/metrics"));
            assertEquals(200, m.statusCode());
            assertEquals(SchedulerMetrics.CONTENT_TYPE, m.headers().firstValue("Content-Type").orElseThrow());
            assertLine(m.body(), "scheduler_prompts_completed_total 1.0");

            assertEquals(404, get(client, base.resolve("/metricsx")).statusCode());
            assertEquals(404, get(client, base.resolve("/")).statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertLine(String text, String line) {
        assertTrue(text.lines().anyMatch(l -> l.equals(line)), () -> "no line '" + line + "' in:\n" + text);
    }
}
