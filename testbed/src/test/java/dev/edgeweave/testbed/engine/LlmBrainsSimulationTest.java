package dev.edgeweave.testbed.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.AgentBrains;
import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.evaluate.EvaluationOptions;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * edgeweave's three agents on LLM brains in the testbed, against a scripted model ({@link ScriptedAdvisorModel}:
 * no language model is reachable from the machines running these tests). Each agent asks the model, its answers
 * go through the guard (the empty plan is refused and the optimizer's stands), and the run ends every prompt
 * exactly once. The same run on optimizer brains never calls the model.
 */
class LlmBrainsSimulationTest {

    @Test
    void everyAgentAsksItsModelAndEveryPromptEndsOnce() {
        Scenario sc = new ScenarioLoader().load("bristol-7");
        Evaluation evaluation = new Evaluation(sc, WorkloadGenerator.forScenario(sc));
        ScriptedAdvisorModel model = new ScriptedAdvisorModel();
        evaluation.withBrains(new AgentBrains(AgentsConfig.allLlm("openai", "http://localhost:1/v1", "scripted"),
                sc.models(), model, ExperienceMemory.NONE));
        EvaluationOptions o = new EvaluationOptions("bristol-7", 1, Policies.parse("edgeweave"), Optional.empty(), 0.5,
                List.of(), OptionalDouble.empty(), 1);
        RunResult r = evaluation.run(o, done -> { }).get("edgeweave").get(0);
        for (int i = 0; i < r.size(); i++) {
            assertEquals(1, r.terminalRecords()[i], "prompt " + i);
        }
        assertTrue(model.calls("scheduling") > 10, "short-term agent: " + model.calls("scheduling"));
        assertTrue(model.calls("planning") > 3, "long-term agent: " + model.calls("planning"));
        assertTrue(model.calls("deployment") > 10, "on-node agents: " + model.calls("deployment"));
        assertTrue(r.guardRefusals() > 0, "the empty plans were refused by the guard");
        assertFalse(model.prompts().stream().anyMatch(p -> p.contains("user-")), "no user id reaches a prompt");
    }
}
