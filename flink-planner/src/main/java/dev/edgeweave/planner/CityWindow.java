package dev.edgeweave.planner;

/**
 * A window's aggregate of city events, built event by event and mergeable, that knows its span once the window
 * closes: what {@link PlannerJob}'s windows aggregate into.
 *
 * @param <W> the aggregate's own type
 */
interface CityWindow<W extends CityWindow<W>> {

    /** Counts one event in. */
    W add(CityEvent e);

    /** Adds {@code other}'s counts to this one. */
    W merge(W other);

    /** The window's start (inclusive) and end (exclusive), city clock, epoch milliseconds. */
    void span(long start, long end);
}
