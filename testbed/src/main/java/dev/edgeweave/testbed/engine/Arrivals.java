package dev.edgeweave.testbed.engine;

import dev.edgeweave.core.model.PromptSize;

/**
 * The prompts of one run, sorted by arrival time: what the engine replays. Indexed, so a million prompts
 * cost arrays rather than objects.
 */
public interface Arrivals {

    int size();

    /** Arrival time, city seconds from the start of the workload. */
    double time(int i);

    /** Index of the prompt's model in the setup's model list. */
    int model(int i);

    /** Index of the prompt's user. */
    int user(int i);

    /** Index of the access point it arrives through, in the city's access-point list. */
    int accessPoint(int i);

    PromptSize size(int i);

    /** Its latency objective, seconds. */
    double sloSeconds(int i);
}
