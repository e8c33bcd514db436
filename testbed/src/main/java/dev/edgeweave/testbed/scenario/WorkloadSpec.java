package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.model.ModelClass;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The workload a scenario asks for: where chat comes from, the class and model mix with sizes, bursts, the
 * shift, users and payload sizes. The rate is not here: it is an input of the generator (load 1.0 is
 * {@link LoadReference#capacityFraction()} of capacity, which depends on the placement).
 *
 * @param classes the classes with arrivals, in {@link ModelClass} order
 */
public record WorkloadSpec(ChatSource chat, Map<ModelClass, ClassMix> classes, List<Burst> bursts, Shift shift,
                           UserModel users, Payload payload) {

    public WorkloadSpec {
        Objects.requireNonNull(chat, "chat");
        EnumMap<ModelClass, ClassMix> copy = new EnumMap<>(ModelClass.class);
        copy.putAll(classes);
        classes = Collections.unmodifiableMap(copy);
        bursts = List.copyOf(bursts);
        Objects.requireNonNull(shift, "shift");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(payload, "payload");
    }

    /** The pre-shift share of {@code modelClass} (0 when it has no arrivals). */
    public double share(ModelClass modelClass) {
        ClassMix mix = classes.get(modelClass);
        return mix == null ? 0.0 : mix.share();
    }
}
