package dev.edgeweave.core.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelClass;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairnessControllerTest {

    private final FairnessController controller = new FairnessController(0.5, 20);

    @Test
    void theWorstClassIsFavouredAndTheBestYields() {
        Map<ModelClass, Double> w = controller.update(Map.of(),
                Map.of(ModelClass.CHAT, 2.0, ModelClass.IMAGE_GENERATION, 8.0),
                Map.of(ModelClass.CHAT, 100L, ModelClass.IMAGE_GENERATION, 100L));
        // mean 5: chat (2/5)^0.5 = 0.632, image (8/5)^0.5 = 1.265; geometric mean 0.894 → 0.707, 1.414.
        assertEquals(1 / Math.sqrt(2), w.get(ModelClass.CHAT), 1e-9);
        assertEquals(Math.sqrt(2), w.get(ModelClass.IMAGE_GENERATION), 1e-9);
        assertEquals(1.0, w.get(ModelClass.CHAT) * w.get(ModelClass.IMAGE_GENERATION), 1e-9, "geometric mean 1");
    }

    @Test
    void equalSlowdownsLeaveWeightsAlone() {
        Map<ModelClass, Double> w = controller.update(Map.of(ModelClass.CHAT, 1.0, ModelClass.SPEECH_SYNTHESIS, 1.0),
                Map.of(ModelClass.CHAT, 3.0, ModelClass.SPEECH_SYNTHESIS, 3.0),
                Map.of(ModelClass.CHAT, 50L, ModelClass.SPEECH_SYNTHESIS, 50L));
        assertEquals(1.0, w.get(ModelClass.CHAT), 1e-12);
        assertEquals(1.0, w.get(ModelClass.SPEECH_SYNTHESIS), 1e-12);
    }

    @Test
    void aClassWithTooFewPromptsKeepsItsWeight() {
        Map<ModelClass, Double> w = controller.update(Map.of(ModelClass.SPEECH_RECOGNITION, 1.5),
                Map.of(ModelClass.CHAT, 2.0, ModelClass.IMAGE_GENERATION, 8.0, ModelClass.SPEECH_RECOGNITION, 50.0),
                Map.of(ModelClass.CHAT, 100L, ModelClass.IMAGE_GENERATION, 100L, ModelClass.SPEECH_RECOGNITION, 3L));
        // Only chat and image are evidence; speech recognition moves only through renormalisation.
        assertTrue(w.get(ModelClass.IMAGE_GENERATION) > w.get(ModelClass.CHAT));
        double geo = Math.cbrt(w.get(ModelClass.CHAT) * w.get(ModelClass.IMAGE_GENERATION)
                * w.get(ModelClass.SPEECH_RECOGNITION));
        assertEquals(1.0, geo, 1e-9);
    }

    @Test
    void weightsStayWithinTheirBounds() {
        Map<ModelClass, Double> w = Map.of();
        for (int i = 0; i < 50; i++) {
            w = controller.update(w, Map.of(ModelClass.CHAT, 1.0, ModelClass.IMAGE_GENERATION, 1000.0),
                    Map.of(ModelClass.CHAT, 100L, ModelClass.IMAGE_GENERATION, 100L));
        }
        assertEquals(FairnessController.MAX, w.get(ModelClass.IMAGE_GENERATION), 1e-12);
        assertEquals(FairnessController.MIN, w.get(ModelClass.CHAT), 1e-12);
    }

    @Test
    void oneClassAloneIsNoEvidence() {
        Map<ModelClass, Double> w = controller.update(Map.of(ModelClass.CHAT, 1.5), Map.of(ModelClass.CHAT, 9.0),
                Map.of(ModelClass.CHAT, 500L));
        assertEquals(Map.of(ModelClass.CHAT, 1.5), w);
    }
}
