package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.ClassStats;
import dev.edgeweave.agents.PlanningDecision;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ServerLoad;
import dev.edgeweave.agents.llm.LlmAnswerException;
import dev.edgeweave.agents.llm.LlmPlanningBrain;
import dev.edgeweave.agents.llm.LlmSchedulingBrain;
import dev.edgeweave.agents.llm.LlmSettings;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.routing.RoutingWeights;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab's language-model stand-in, asked through the real LLM brains (LangChain4j's OpenAI client, the
 * situation tables, the answer parsing): what it answers in each mode, and how each failure reaches the brain.
 */
class ScriptedLlmTest {

    static final GpuCatalog GPUS = GpuCatalog.standard();
    static final ModelCatalog MODELS = ModelCatalog.standard();
    static final EdgeServer EDGE_1 = new EdgeServer("edge-1", "site-1", List.of(GPUS.require("a100-40gb")));
    static final EdgeServer EDGE_2 = new EdgeServer("edge-2", "site-2", List.of(GPUS.require("l4")));

    ScriptedLlm llm;

    @BeforeEach
    void start() {
        llm = ScriptedLlm.start(Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    LlmSettings settings() {
        return new LlmSettings(LlmSettings.Provider.OPENAI_COMPATIBLE, llm.baseUrl(), "lab-scripted",
                Duration.ofSeconds(1), 1024);
    }

    LlmPlanningBrain planner() {
        return LlmPlanningBrain.create(settings(), MODELS, 1, ExperienceMemory.NONE, 0);
    }

    static Placement held() {
        Map<String, List<Deployment>> held = new LinkedHashMap<>();
        held.put("edge-1", List.of(new Deployment("llama-3.1-8b-instruct", 0, 8), new Deployment("qwen2.5-vl-7b", 0, 4)));
        held.put("edge-2", List.of(new Deployment("whisper-large-v3-turbo", 0, 4)));
        return new Placement(held);
    }

    static PlanningSituation planning(Set<String> down, List<String> asked) {
        List<ModelDemand> demand = asked.stream()
                .map(m -> new ModelDemand(MODELS.require(m), 0.5, PromptSize.text(100, 50))).toList();
        return new PlanningSituation(600, List.of(EDGE_1, EDGE_2), down, demand, held(), RoutingWeights.NEUTRAL);
    }

    @Test
    void keepsAWholePlacementAndGivesUpOnOneThatIsNot() {
        PlanningDecision kept = planner().decide(planning(Set.of(), List.of("llama-3.1-8b-instruct", "qwen2.5-vl-7b")));
        assertEquals(held().deploymentsOf("edge-1"), kept.placement().deploymentsOf("edge-1"));
        assertEquals(held().deploymentsOf("edge-2"), kept.placement().deploymentsOf("edge-2"));

        // edge-2 down while holding a model, or a model asked for that no server holds: an empty placement.
        PlanningDecision down = planner().decide(planning(Set.of("edge-2"), List.of("llama-3.1-8b-instruct")));
        assertTrue(down.placement().byServer().values().stream().allMatch(List::isEmpty), down.toString());
        PlanningDecision missing = planner().decide(planning(Set.of(), List.of("sdxl-turbo")));
        assertTrue(missing.placement().byServer().values().stream().allMatch(List::isEmpty), missing.toString());
    }

    @Test
    void keepsTheWeightsAndFailsEachWayItIsTold() {
        SchedulingSituation s = new SchedulingSituation(600,
                Map.of(ModelClass.CHAT, new ClassStats(10, 2.0, 3.0, 4.0)),
                List.of(new ServerLoad("edge-1", true, 1, 2, 0.5, 0.4)), RoutingWeights.NEUTRAL);
        LlmSchedulingBrain brain = LlmSchedulingBrain.create(settings(), ExperienceMemory.NONE, 0);
        SchedulingDecision kept = brain.decide(s);
        assertEquals(RoutingWeights.NEUTRAL.classWeights(), kept.weights().classWeights());

        llm.mode(ScriptedLlm.Mode.DOWN);
        assertEquals(LlmAnswerException.Kind.MODEL_ERROR,
                assertThrows(LlmAnswerException.class, () -> brain.decide(s)).kind());
        llm.mode(ScriptedLlm.Mode.GARBAGE);
        assertEquals(LlmAnswerException.Kind.UNPARSEABLE,
                assertThrows(LlmAnswerException.class, () -> brain.decide(s)).kind());
        llm.mode(ScriptedLlm.Mode.SLOW);
        assertEquals(LlmAnswerException.Kind.TIMEOUT,
                assertThrows(LlmAnswerException.class, () -> brain.decide(s)).kind());
        llm.mode(ScriptedLlm.Mode.ANSWERING); // listening again on the same port after DOWN
        assertEquals(RoutingWeights.NEUTRAL.classWeights(), brain.decide(s).weights().classWeights());

        Map<ScriptedLlm.Mode, Long> seen = llm.requests();
        assertEquals(0, seen.get(ScriptedLlm.Mode.DOWN));
        assertEquals(1, seen.get(ScriptedLlm.Mode.GARBAGE));
        assertEquals(1, seen.get(ScriptedLlm.Mode.SLOW));
        assertEquals(2, seen.get(ScriptedLlm.Mode.ANSWERING));
    }
}
