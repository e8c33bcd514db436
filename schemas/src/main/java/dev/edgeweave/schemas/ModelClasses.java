package dev.edgeweave.schemas;

import dev.edgeweave.v1.ModelClass;

/** Maps the model class between core and the contract; the two enums have the same symbols (a test pins it). */
public final class ModelClasses {

    private ModelClasses() {
    }

    public static ModelClass toAvro(dev.edgeweave.core.model.ModelClass c) {
        return ModelClass.valueOf(c.name());
    }

    public static dev.edgeweave.core.model.ModelClass toCore(ModelClass c) {
        return dev.edgeweave.core.model.ModelClass.valueOf(c.name());
    }
}
