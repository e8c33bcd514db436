package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.core.fairness.Fairness;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.edgeweave.v1.WindowScope;
import dev.edgeweave.v1.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The short window's aggregation, its merge, its summaries and the agent's situation, as functions. */
class ShortWindowTest {

    static CityEvent end(CityEvent.Kind kind, String cls, double latency, double slowdown, double slo, long t) {
        CityEvent e = CityEvent.of(kind, t);
        e.modelClass = cls;
        e.latencySeconds = latency;
        e.slowdown = slowdown;
        e.sloSeconds = slo;
        return e;
    }

    static CityEvent state(String node, int queued, double util, long t) {
        CityEvent e = CityEvent.of(CityEvent.Kind.NODE_STATE, t);
        e.nodeId = node;
        e.queued = queued;
        e.utilisation = util;
        return e;
    }

    static List<CityEvent> sample() {
        List<CityEvent> es = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CityEvent a = CityEvent.of(CityEvent.Kind.ARRIVAL, i);
            a.modelClass = "CHAT";
            es.add(a);
            es.add(end(CityEvent.Kind.COMPLETION, "CHAT", 1 + i * 0.1, 2, 5, i));
        }
        es.add(end(CityEvent.Kind.COMPLETION, "IMAGE_GENERATION", 12, 6, 10, 3));
        es.add(end(CityEvent.Kind.REJECTION, "IMAGE_GENERATION", 10, 5, 10, 4));
        es.add(state("edge-1", 4, 0.5, 1_000));
        es.add(state("edge-1", 2, 0.7, 9_000));
        CityEvent r = CityEvent.of(CityEvent.Kind.RESULT, 5);
        r.nodeId = "edge-1";
        r.ok = false;
        es.add(r);
        return es;
    }

    @Test
    void countsPerClassAndServer() {
        ShortWindow w = new ShortWindow();
        sample().forEach(w::add);
        int chat = ModelClass.CHAT.ordinal();
        int image = ModelClass.IMAGE_GENERATION.ordinal();
        assertEquals(10, w.arrivals[chat]);
        assertEquals(10, w.completed[chat]);
        assertEquals(10, w.withinSlo[chat]);
        assertEquals(1, w.completed[image]);
        assertEquals(1, w.rejected[image]);
        assertEquals(0, w.withinSlo[image], "12 s over a 10 s SLO");
        assertEquals(14.5, w.latencySum[chat], 1e-9);
        ShortWindow.Node n = w.nodes.get("edge-1");
        assertEquals(2, n.states);
        assertEquals(2, n.lastQueued, "the latest state's queue");
        assertEquals(1, n.failures);
    }

    @Test
    void mergingPartialWindowsEqualsOneWindow() {
        List<CityEvent> es = sample();
        ShortWindow whole = new ShortWindow();
        es.forEach(whole::add);
        ShortWindow a = new ShortWindow();
        ShortWindow b = new ShortWindow();
        for (int i = 0; i < es.size(); i++) {
            (i % 2 == 0 ? a : b).add(es.get(i));
        }
        a.merge(b);
        a.windowStart = whole.windowStart;
        a.windowEnd = whole.windowEnd;
        assertEquals(Summaries.summaries(whole), Summaries.summaries(a));
    }

    @Test
    void summariesCarryTheCityJainTheClassesAndTheServers() {
        ShortWindow w = new ShortWindow();
        sample().forEach(w::add);
        w.windowStart = 0;
        w.windowEnd = 10_000;
        List<WindowSummary> s = Summaries.summaries(w);
        WindowSummary city = s.get(0);
        assertEquals(WindowScope.CITY, city.getScope());
        assertEquals(11, city.getCompleted());
        assertEquals(1, city.getRejected());
        assertEquals(Fairness.normalizedJain(new double[] {2, 5.5}), city.getNormalizedJainSlowdown(), 1e-12);
        WindowSummary chat = s.stream().filter(x -> x.getScopeId().equals("CHAT")).findFirst().orElseThrow();
        assertEquals(1.45, chat.getMeanLatencySeconds(), 1e-9);
        assertEquals(1.9, chat.getP95LatencySeconds(), 0.02 * 1.9);
        WindowSummary node = s.stream().filter(x -> x.getScope() == WindowScope.NODE).findFirst().orElseThrow();
        assertEquals(3.0, node.getMeanQueued());
        assertEquals(0.6, node.getUtilisation(), 1e-9);
        assertEquals(4, s.size(), "city, two classes, one server");
    }

    @Test
    void theAgentSeesClassStatsAndFreshServers() {
        ShortWindow w = new ShortWindow();
        sample().forEach(w::add);
        w.windowEnd = 10_000;
        w.nodes.put("edge-stale", new ShortWindow.Node());
        w.add(state("edge-stale", 0, 0, 1_000));
        SchedulingSituation s = SchedulingCall.situation(w, RoutingWeights.NEUTRAL, PlannerSettings.DEFAULTS);
        assertEquals(5.5, s.classes().get(ModelClass.IMAGE_GENERATION).meanSlowdown(), 1e-9);
        assertEquals(2, s.classes().size());
        assertTrue(s.servers().stream().anyMatch(l -> l.serverId().equals("edge-1") && l.up()));
        assertTrue(s.servers().stream().anyMatch(l -> l.serverId().equals("edge-stale") && !l.up()),
                "its last state is 9 s old at the window's end, beyond the 3 s heartbeat timeout");
        assertNotNull(SchedulingCall.render(s));
    }

    @Test
    void aPromptReadTwiceCountsOnce() {
        ShortWindow w = new ShortWindow();
        CityEvent a = CityEvent.of(CityEvent.Kind.ARRIVAL, 1);
        a.modelClass = "CHAT";
        a.promptId = "p-1";
        CityEvent done = end(CityEvent.Kind.COMPLETION, "CHAT", 2, 1, 30, 3);
        done.promptId = "p-1";
        w.add(a).add(a).add(done).add(done);
        assertEquals(1, w.arrivals[ModelClass.CHAT.ordinal()]);
        assertEquals(1, w.completed[ModelClass.CHAT.ordinal()]);
        assertEquals(2.0, w.latencySum[ModelClass.CHAT.ordinal()], 1e-12);
    }
}
