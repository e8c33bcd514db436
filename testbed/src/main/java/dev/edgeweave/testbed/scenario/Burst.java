package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.model.ModelClass;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A burst: for {@code durationSeconds} from {@code startSeconds}, the named classes arrive at {@code factor}
 * times their base rate. The extra {@code (factor − 1) × base} arrives as its own seeded Poisson stream at the
 * burst's access points (a flash crowd: visitors from across the city, so users are drawn from everyone), or
 * from users' own access points when none are named (a city-wide surge). Extra chat arrivals take their tokens
 * from a random trace row. Times are city seconds from the start; a burst is not scaled by {@code --load}
 * in time, only in rate, like every other arrival.
 *
 * @param classes        the classes that burst; never empty
 * @param accessPointIds where the extra arrivals enter; empty for users' own access points
 * @param note           why the scenario has it
 */
public record Burst(double startSeconds, double durationSeconds, double factor, Set<ModelClass> classes,
                    List<String> accessPointIds, String note) {

    public Burst {
        classes = Set.copyOf(classes);
        accessPointIds = List.copyOf(accessPointIds);
        Objects.requireNonNull(note, "note");
        if (!(startSeconds >= 0) || !(durationSeconds > 0) || !(factor >= 1) || classes.isEmpty()) {
            throw new IllegalArgumentException("a burst needs start >= 0, duration > 0, factor >= 1 and a class");
        }
    }

    public double endSeconds() {
        return startSeconds + durationSeconds;
    }
}
