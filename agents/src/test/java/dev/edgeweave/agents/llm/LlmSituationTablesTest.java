package dev.edgeweave.agents.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What a language model is shown, pinned by golden files under {@code src/test/resources/llm/} and compared
 * exactly: the three situations as tables, recalled experiences, and a whole user message as sent. No
 * language model is reachable from the machines that run these tests; a {@link ScriptedChatModel} captures
 * the request instead.
 *
 * <p>After an intended change of the rendering, rewrite the files with
 * {@code mvn -o -pl agents test -Dtest=LlmSituationTablesTest -Dgolden.update=true} and review the diff.
 */
class LlmSituationTablesTest {

    @Test
    void schedulingSituation() {
        assertGolden("scheduling-situation.golden.md", SituationTables.scheduling(LlmFixtures.scheduling()));
    }

    @Test
    void planningSituation() {
        assertGolden("planning-situation.golden.md",
                SituationTables.planning(LlmFixtures.planning(), LlmFixtures.MODELS));
    }

    @Test
    void deploymentSituation() {
        assertGolden("deployment-situation.golden.md",
                SituationTables.deployment(LlmFixtures.deployment(), LlmFixtures.MODELS));
    }

    @Test
    void recalledExperiences() {
        assertGolden("experiences.golden.md", SituationTables.experiences(LlmFixtures.pastSchedulingWindows()));
        assertEquals("(none yet)\n", SituationTables.experiences(List.of()));
    }

    @Test
    void theWholeSchedulingUserMessageAsSent() {
        List<Experience> past = LlmFixtures.pastSchedulingWindows();
        // The list memory recalls the most recent first: remember the most similar last.
        ListExperienceMemory memory = new ListExperienceMemory(past.get(1), past.get(0));
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("scheduling-valid.json"));
        new LlmSchedulingBrain(model, memory, LlmFixtures.OPTIONS).decide(LlmFixtures.scheduling());
        assertGolden("scheduling-user-message.golden.md", userText(model.onlyRequest().messages()));
    }

    @Test
    void renderingIsDeterministicAndLocaleIndependent() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String german = SituationTables.planning(LlmFixtures.planning(), LlmFixtures.MODELS);
            Locale.setDefault(Locale.US);
            assertEquals(german, SituationTables.planning(LlmFixtures.planning(), LlmFixtures.MODELS));
            assertFalse(german.contains("2,500"), german);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void noPastSituationIsSaidPlainly() {
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("scheduling-valid.json"));
        new LlmSchedulingBrain(model, ExperienceMemory.NONE, LlmFixtures.OPTIONS).decide(LlmFixtures.scheduling());
        assertTrue(userText(model.onlyRequest().messages()).contains("period later:\n(none yet)\n"));
    }

    static String userText(List<ChatMessage> messages) {
        return messages.stream().filter(m -> m instanceof UserMessage).map(m -> ((UserMessage) m).singleText())
                .reduce((a, b) -> a + "\n---\n" + b).orElseThrow();
    }

    static void assertGolden(String name, String actual) {
        if (Boolean.getBoolean("golden.update")) {
            try {
                Files.writeString(Path.of("src/test/resources/llm", name), actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("cannot rewrite golden file " + name, e);
            }
            return;
        }
        assertEquals(ScriptedChatModel.resource(name), actual, "golden file llm/" + name);
    }
}
