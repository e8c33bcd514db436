package dev.edgeweave.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.Agent;
import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.DeploymentDecision;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerDeploymentBrain;
import dev.edgeweave.connector.runtime.EmulatedRuntime;
import dev.edgeweave.connector.runtime.ModelRuntime;
import dev.edgeweave.connector.runtime.Outcome;
import dev.edgeweave.connector.runtime.Work;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.sim.DiscreteEventScheduler;
import dev.edgeweave.schemas.avro.AvroSettings;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The keeper with the real emulated runtime on simulated time: commands, refusals, drains, on-demand loads. */
class DeploymentKeeperTest {

    static {
        // Builders copying records with enums resolve the generated classes through Avro's trust list.
        AvroSettings.apply();
    }

    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final EdgeServer L4 = new EdgeServer("edge-1", "site-1", List.of(GPUS.require("l4")));

    private final DiscreteEventScheduler clock = new DiscreteEventScheduler();
    private final List<String> events = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private final List<String> plans = new ArrayList<>();
    private DeploymentKeeper keeper;
    private final EmulatedRuntime runtime = new EmulatedRuntime(L4, clock, new ModelRuntime.Listener() {
        @Override
        public void ready(String modelId) {
            events.add("ready " + modelId);
        }

        @Override
        public void loadFailed(String modelId, String reason) {
            events.add("failed " + modelId);
        }

        @Override
        public void unloaded(String modelId) {
            events.add("unloaded " + modelId);
            keeper.reconcile("unloaded");
        }

        @Override
        public void finished(Work work, Outcome outcome) {
            events.add("finished " + work.promptId());
        }
    });

    DeploymentKeeperTest() {
        keeper = new DeploymentKeeper(L4, MODELS, runtime, optimizer(),
                new DeploymentKeeper.Reporter() {
                    @Override
                    public void planned(AgentOutcome<DeploymentDecision> o, DeploymentSituation s, String trigger) {
                        plans.add(o.decision().plan().actions().stream().map(a -> a.kind() + " " + a.modelId())
                                .collect(Collectors.joining(", ")));
                    }

                    @Override
                    public void failed(String modelId, String commandId, String reason) {
                        refusals.add(commandId + ": " + reason);
                    }
                });
    }

    private static Agent<DeploymentSituation, DeploymentDecision> optimizer() {
        OptimizerDeploymentBrain brain = new OptimizerDeploymentBrain(MODELS);
        return Agent.of(new GuardedAgent<>(brain::decide, Brain.OPTIMIZER, brain::decide,
                new Guard(MODELS, Integer.MAX_VALUE)::check));
    }

    private static DeploymentCommand cmd(String id, DeploymentAction action, String model, Integer gpu, Integer slots) {
        return DeploymentCommand.newBuilder().setCommandId(id).setPlanId("plan-1").setNodeId("edge-1")
                .setAction(action).setModelId(model).setGpuIndex(gpu).setConcurrency(slots)
                .setIssuedAt(Instant.EPOCH).build();
    }

    private List<String> held() {
        return runtime.deployments().stream().map(d -> d.modelId() + ":" + d.status() + ":" + d.concurrency())
                .toList();
    }

    @Test
    void aLoadCommandLoadsAndAReplayDoesNothingTwice() {
        DeploymentCommand load = cmd("c1", DeploymentAction.LOAD, "llama-3.1-8b-instruct", 0, 4);
        assertNull(keeper.apply(load));
        assertEquals(List.of("llama-3.1-8b-instruct:LOADING:4"), held());
        clock.run();
        assertEquals(List.of("ready llama-3.1-8b-instruct"), events);
        assertNull(keeper.apply(cmd("c2", DeploymentAction.UNLOAD, "llama-3.1-8b-instruct", null, null)));
        clock.run();
        assertEquals(List.of(), held());
        // The LOAD again, replayed (a restart reading the topic from the start): applied once already.
        assertNull(keeper.apply(load));
        clock.run();
        assertEquals(List.of(), held(), "a replayed command must not reload what a later command unloaded");
        assertEquals(List.of("LOAD llama-3.1-8b-instruct", "UNLOAD llama-3.1-8b-instruct"), plans);
    }

    @Test
    void aCommandThatCannotBeCarriedOutIsRefusedWholeWithAReason() {
        assertNull(keeper.apply(cmd("c1", DeploymentAction.LOAD, "llama-3.1-8b-instruct", 0, 2)));
        Map<String, ?> before = keeper.target();
        assertTrue(keeper.apply(cmd("c2", DeploymentAction.LOAD, "no-such-model", null, null))
                .contains("unknown model no-such-model"));
        assertTrue(keeper.apply(cmd("c3", DeploymentAction.LOAD, "sdxl", 3, null)).contains("GPU 3 does not exist"));
        assertTrue(keeper.apply(cmd("c4", DeploymentAction.LOAD, "sdxl", null, 0)).contains("concurrency must be"));
        assertTrue(keeper.apply(cmd("c5", DeploymentAction.RESIZE, "sdxl", null, 2)).contains("does not hold it"));
        DeploymentCommand other = DeploymentCommand.newBuilder(cmd("c6", DeploymentAction.LOAD, "sdxl", null, 1))
                .setNodeId("edge-9").build();
        assertTrue(keeper.apply(other).contains("for server edge-9"));
        // 24 GB L4: llama (AWQ) plus whisper fits, plus SDXL (10 GB) beside both does not.
        assertNull(keeper.apply(cmd("c7", DeploymentAction.LOAD, "whisper-large-v3", null, 1)));
        String tooBig = keeper.apply(cmd("c8", DeploymentAction.LOAD, "qwen2.5-vl-7b", null, 1));
        String fits = tooBig == null ? "" : tooBig;
        assertEquals(tooBig == null, keeper.target().containsKey("qwen2.5-vl-7b"), fits);
        assertEquals(5 + (tooBig == null ? 0 : 1), refusals.size(), refusals.toString());
        assertTrue(keeper.target().keySet().containsAll(before.keySet()));
    }

    @Test
    void aModelBeyondTheMemoryIsRefusedAndTheTargetStaysAsItWas() {
        EdgeServer jetson = new EdgeServer("edge-1", "s", List.of(GPUS.require("jetson-orin-nx-16gb")));
        EmulatedRuntime small = new EmulatedRuntime(jetson, clock, new ModelRuntime.Listener() {
            public void ready(String m) { }
            public void loadFailed(String m, String r) { }
            public void unloaded(String m) { }
            public void finished(Work w, Outcome o) { }
        });
        DeploymentKeeper k = new DeploymentKeeper(jetson, MODELS, small, optimizer(),
                new DeploymentKeeper.Reporter() {
                    public void planned(AgentOutcome<DeploymentDecision> o, DeploymentSituation s, String t) { }
                    public void failed(String m, String c, String r) {
                        refusals.add(r);
                    }
                });
        assertNull(k.apply(cmd("c1", DeploymentAction.LOAD, "sdxl", null, 1)));
        String refusal = k.apply(cmd("c2", DeploymentAction.LOAD, "llama-3.1-8b-instruct", null, 1));
        String second = k.apply(cmd("c3", DeploymentAction.LOAD, "qwen2.5-vl-7b", null, 1));
        // SDXL (10 GB) leaves 6 GB of the Jetson's 16: at least the larger of the two cannot join it.
        assertTrue(refusal != null || second != null, "one of them must not fit beside SDXL");
        assertTrue(refusals.stream().allMatch(r -> r.contains("does not fit")), refusals.toString());
        assertTrue(k.target().containsKey("sdxl"));
    }

    @Test
    void anOnDemandLoadStaysWhileUsedAndLeavesAfterItsKeepAlive() {
        assertTrue(keeper.loadOnDemand(MODELS.require("llama-3.2-3b-instruct"), clock.now()));
        assertFalse(keeper.loadOnDemand(MODELS.require("llama-3.2-3b-instruct"), clock.now()), "already deployed");
        clock.run();
        keeper.used("llama-3.2-3b-instruct", 100);
        keeper.expire(350, 300);
        assertEquals(1, held().size(), "used at 100 s: kept at 350 s");
        keeper.expire(401, 300);
        clock.run();
        assertEquals(List.of(), held());
        assertTrue(events.contains("unloaded llama-3.2-3b-instruct"));
    }

    @Test
    void aCommandForAnOnDemandModelMakesItPlanned() {
        keeper.loadOnDemand(MODELS.require("kokoro-82m"), 0);
        assertNull(keeper.apply(cmd("c1", DeploymentAction.RESIZE, "kokoro-82m", null, 3)));
        clock.run();
        keeper.expire(10_000, 300);
        assertEquals(List.of("kokoro-82m:READY:3"), held(), "planned now: no keep-alive expiry");
    }
}
