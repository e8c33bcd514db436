package dev.edgeweave.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeweave.v1.ModelClass;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelClassesTest {

    @Test
    void coreAndContractSpellTheClassesAlike() {
        assertEquals(Arrays.stream(dev.edgeweave.core.model.ModelClass.values()).map(Enum::name).toList(),
                Arrays.stream(ModelClass.values()).map(Enum::name).toList());
        for (ModelClass c : ModelClass.values()) {
            assertEquals(c, ModelClasses.toAvro(ModelClasses.toCore(c)));
        }
    }
}
