package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.v1.DeploymentCommand;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandDiffTest {

    private static final Instant AT = Instant.parse("2026-11-27T08:00:00Z");

    private static List<String> ids(List<DeploymentCommand> cs) {
        return cs.stream().map(c -> c.getCommandId() + (c.getConcurrency() == null ? "" : " x" + c.getConcurrency()))
                .toList();
    }

    @Test
    void unloadsThenLoadsThenResizesNothingForAServerThatMatches() {
        Placement plan = new Placement(Map.of(
                "a", List.of(new Deployment("sdxl", 0, 1), new Deployment("llama", 0, 8)),
                "b", List.of(new Deployment("whisper", 0, 2))));
        Map<String, Collection<CommandDiff.Held>> reported = Map.of(
                "a", List.of(new CommandDiff.Held("kokoro", 0, 1), new CommandDiff.Held("llama", 0, 4)),
                "b", List.of(new CommandDiff.Held("whisper", 0, 2)));
        assertEquals(List.of("p1/a/UNLOAD/kokoro", "p1/a/LOAD/sdxl x1", "p1/a/RESIZE/llama x8"),
                ids(CommandDiff.diff("p1", plan, reported, 10, AT)));
    }

    @Test
    void theChurnLimitKeepsTheFirstChangesAndTheSameDiffGivesTheSameIds() {
        Placement plan = new Placement(Map.of("a", List.of(new Deployment("sdxl", 0, 1), new Deployment("qwen", 0, 1))));
        Map<String, Collection<CommandDiff.Held>> reported = Map.of("a", List.of(new CommandDiff.Held("llama", 0, 4)));
        List<DeploymentCommand> once = CommandDiff.diff("p2", plan, reported, 1, AT);
        assertEquals(List.of("p2/a/UNLOAD/llama"), ids(once));
        assertEquals(once, CommandDiff.diff("p2", plan, reported, 1, AT), "a restart re-deriving the plan");
        assertEquals(List.of("p2/a/UNLOAD/llama", "p2/a/LOAD/qwen x1"), ids(CommandDiff.diff("p2", plan, reported, 2, AT)));
    }

    @Test
    void aServerNotReportedGetsNothingAndABadLimitIsRefused() {
        Placement plan = new Placement(Map.of("down", List.of(new Deployment("sdxl", 0, 1))));
        assertEquals(List.of(), CommandDiff.diff("p3", plan, Map.of(), 1, AT));
        assertThrows(IllegalArgumentException.class, () -> CommandDiff.diff("p3", plan, Map.of(), 0, AT));
    }
}
