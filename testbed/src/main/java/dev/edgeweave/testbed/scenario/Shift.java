package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.model.ModelClass;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A demand shift (DESIGN "Evaluation": "demand moves"): from city time {@code at}, two things change at once.
 * <ol>
 *   <li><b>The class mix</b> becomes {@code classShares} (the models' shares within each class stay). The total
 *       rate stays; only what is asked for moves.</li>
 *   <li><b>The hot access points move</b>: access points are ranked by popularity (a seeded permutation, Zipf
 *       weights; see {@link UserModel}). After the shift a user whose home has rank r is at the access point
 *       of rank {@code (r + round(hotAccessPointRotation × n)) mod n}: with 0.5 the busiest half of the city
 *       goes quiet and the quiet half gets busy (say, commuters moving from the suburbs to the centre).</li>
 * </ol>
 * {@code --shift S} sets (or overrides) {@code at}; without either there is no shift.
 *
 * @param at                    when, city seconds; empty for no shift unless {@code --shift} gives one
 * @param classShares           the class mix after the shift (sums to 1)
 * @param hotAccessPointRotation fraction of the access points by which popularity ranks rotate, in [0, 1)
 */
public record Shift(OptionalDouble at, Map<ModelClass, Double> classShares, double hotAccessPointRotation) {

    public Shift {
        EnumMap<ModelClass, Double> copy = new EnumMap<>(ModelClass.class);
        copy.putAll(classShares);
        classShares = Collections.unmodifiableMap(copy);
        if (!(hotAccessPointRotation >= 0 && hotAccessPointRotation < 1)) {
            throw new IllegalArgumentException("hotAccessPointRotation must be in [0, 1), was " + hotAccessPointRotation);
        }
    }

    /** The post-shift share of {@code modelClass} (0 when not listed). */
    public double share(ModelClass modelClass) {
        return classShares.getOrDefault(modelClass, 0.0);
    }
}
