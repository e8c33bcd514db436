package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.ClassStats;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ServerLoad;
import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.routing.RoutingWeights;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The situations, guard and past experiences the LLM-brain tests share. */
final class LlmFixtures {

    static final GpuCatalog GPUS = GpuCatalog.standard();
    static final ModelCatalog MODELS = ModelCatalog.standard();
    static final int CHURN = PlacementPlanner.DYNAMIC.maxChangesPerServer();
    static final Guard GUARD = new Guard(MODELS, CHURN);

    /** Short enough for a test, far longer than a scripted answer takes. */
    static final LlmBrainOptions OPTIONS = new LlmBrainOptions(2, Duration.ofSeconds(10));

    static final EdgeServer EDGE_1 = new EdgeServer("edge-1", "site-1", List.of(GPUS.require("a100-40gb")));
    static final EdgeServer EDGE_2 = new EdgeServer("edge-2", "site-2", List.of(GPUS.require("l4")));
    static final EdgeServer EDGE_3 = new EdgeServer("edge-3", "site-3",
            List.of(GPUS.require("rtx-4090"), GPUS.require("l4")));

    private LlmFixtures() {
    }

    /** Chat served far worse than the rest; speech recognition silent; edge-3 down and capped. */
    static SchedulingSituation scheduling() {
        Map<ModelClass, ClassStats> classes = new LinkedHashMap<>();
        classes.put(ModelClass.SPEECH_SYNTHESIS, new ClassStats(40, 0.412, 1.35, 0.9));
        classes.put(ModelClass.CHAT, new ClassStats(120, 4.8765, 6.4321, 11.25));
        classes.put(ModelClass.VISION_LANGUAGE, new ClassStats(31, 2.5, 2.1, 5.0));
        classes.put(ModelClass.IMAGE_GENERATION, new ClassStats(12, 3.75, 1.2, 6.5));
        RoutingWeights current = new RoutingWeights(Map.of(ModelClass.CHAT, 1.5, ModelClass.IMAGE_GENERATION, 0.8),
                Set.of(), Map.of("edge-1", 16));
        return new SchedulingSituation(600, classes, List.of(
                new ServerLoad("edge-2", true, 7, 4, 0.91, 0.62),
                new ServerLoad("edge-1", true, 2, 9, 0.55, 0.51),
                new ServerLoad("edge-3", false, 0, 0, 0, 0)), current);
    }

    /** Three servers, edge-3 down; chat and vision on edge-1, image and speech on edge-2. */
    static PlanningSituation planning() {
        Map<String, List<Deployment>> held = new LinkedHashMap<>();
        held.put("edge-1", List.of(new Deployment("llama-3.1-8b-instruct", 0, 8, 2.0),
                new Deployment("qwen2.5-vl-7b", 0, 4)));
        held.put("edge-2", List.of(new Deployment("sdxl-turbo", 0, 1), new Deployment("whisper-large-v3-turbo", 0, 4)));
        List<ModelDemand> demand = List.of(
                new ModelDemand(MODELS.require("llama-3.1-8b-instruct"), 2.5, PromptSize.text(800, 200)),
                new ModelDemand(MODELS.require("qwen2.5-vl-7b"), 0.4,
                        new PromptSize(60, 1, 1024L * 768, 0, 120, 0, 0, 300_000)),
                new ModelDemand(MODELS.require("sdxl-turbo"), 0.3, new PromptSize(40, 0, 0, 0, 0, 4, 512L * 512, 160)),
                new ModelDemand(MODELS.require("whisper-large-v3-turbo"), 0.6,
                        new PromptSize(0, 0, 0, 20, 0, 0, 0, 320_000)),
                new ModelDemand(MODELS.require("kokoro-82m"), 0.5, PromptSize.text(60, 0)));
        return new PlanningSituation(3600, List.of(EDGE_3, EDGE_1, EDGE_2), Set.of("edge-3"), demand,
                new Placement(held), new RoutingWeights(Map.of(ModelClass.CHAT, 1.5), Set.of(), Map.of()));
    }

    /** A full L4: qwen and sdxl held; the plan drops sdxl, keeps qwen, adds the 8B chat model and kokoro. */
    static DeploymentSituation deployment() {
        return new DeploymentSituation(EDGE_2,
                List.of(new OnNodePacker.Current("sdxl", 0, 1, 1.0, 1, false),
                        new OnNodePacker.Current("qwen2.5-vl-7b", 0, 8, 1.0, 2, false)),
                List.of(new Deployment("qwen2.5-vl-7b", 0, 8), new Deployment("llama-3.1-8b-instruct", 0, 8),
                        new Deployment("kokoro-82m", 0, 8)));
    }

    /** Two past scheduling windows with their measured outcomes, most similar first. */
    static List<Experience> pastSchedulingWindows() {
        return List.of(
                new Experience("scheduling-a", "scheduling", 540, "window ending at 540.0 s (city time)\n"
                        + "| class | prompts | mean slowdown | weight |\n|---|---|---|---|\n"
                        + "| CHAT | 110 | 5.90 | 1.20 |\n",
                        "{\"weights\":{\"CHAT\":1.500},\"rationale\":\"chat worst served\"}",
                        "mean slowdown CHAT 5.90 -> 4.80; Jain fairness 0.71 -> 0.78"),
                new Experience("scheduling-b", "scheduling", 480, "window ending at 480.0 s (city time)\n"
                        + "| class | prompts | mean slowdown | weight |\n|---|---|---|---|\n"
                        + "| CHAT | 95 | 3.10 | 1.00 |\n",
                        "{\"weights\":{\"CHAT\":3.000},\"rationale\":\"raise chat a lot\"}",
                        "mean slowdown CHAT 3.10 -> 3.00; IMAGE_GENERATION 1.10 -> 2.90; Jain fairness 0.80 -> 0.66"));
    }
}
