package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.model.ModelClass;
import java.util.List;
import java.util.Objects;

/**
 * One class's part of the workload.
 *
 * @param modelClass the class
 * @param share      its share of all arrivals before any shift, in [0, 1]; the classes' shares sum to 1
 * @param models     how its arrivals split over its models (shares summing to 1), and their sizes
 */
public record ClassMix(ModelClass modelClass, double share, List<ModelShare> models) {

    public ClassMix {
        Objects.requireNonNull(modelClass, "modelClass");
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("class " + modelClass + " has no models");
        }
    }
}
