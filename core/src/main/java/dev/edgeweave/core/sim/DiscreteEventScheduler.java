package dev.edgeweave.core.sim;

import java.util.Arrays;

/**
 * An {@link EventScheduler} in simulated city time: {@link #now()} jumps from one event to the next, so a
 * day of city time takes as long as its events take to run. The testbed drives everything (arrivals,
 * network delays, the emulated GPU servers, agents' periods) from one of these.
 *
 * <p><b>Order.</b> Events run by time, and events due at the same instant run in the order they were
 * scheduled: the heap is keyed by (time, sequence number). That makes a run a pure function of its inputs
 * and seed, which the testbed's comparisons between policies rely on.
 *
 * <p><b>Cost.</b> The testbed pushes 5–10 million events through one run, so an event is one small object
 * (its time, sequence number, action and heap slot) that is also the {@link EventScheduler.Scheduled}
 * handle; times are primitive doubles in an array-backed binary heap, with no boxing and no comparator.
 * {@link Scheduled#cancel()} removes the event from the heap at once (O(log n) through the slot it
 * remembers) rather than leaving a tombstone: the emulated server cancels and replaces its per-GPU
 * completion event on every start and completion, and tombstones would pile up in the heap and make
 * {@link #pending()} lie.
 *
 * <p>Not thread-safe: one simulation runs on one thread. An action that throws stops {@link #run()} with
 * that exception; the clock stays at the failed event's time and the remaining events stay scheduled.
 */
public final class DiscreteEventScheduler implements EventScheduler {

    private Event[] heap = new Event[256];
    private int size;
    private double now;
    private long nextSequence;
    private long eventsRun;
    private boolean running;

    /** A scheduler whose clock starts at 0. */
    public DiscreteEventScheduler() {
        this(0.0);
    }

    /** A scheduler whose clock starts at {@code startSeconds} (finite). */
    public DiscreteEventScheduler(double startSeconds) {
        if (!Double.isFinite(startSeconds)) {
            throw new IllegalArgumentException("start time must be finite, was " + startSeconds);
        }
        this.now = startSeconds;
    }

    @Override
    public double now() {
        return now;
    }

    /**
     * Runs {@code action} {@code delaySeconds} from now.
     *
     * @throws IllegalArgumentException when the delay is negative, NaN or infinite (an event can be neither
     *                                  in the past nor never), or the action is null
     */
    @Override
    public Scheduled schedule(double delaySeconds, Runnable action) {
        if (!(delaySeconds >= 0) || delaySeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("delay must be finite and >= 0 seconds, was " + delaySeconds
                    + " (now " + now + ")");
        }
        return push(now + delaySeconds, action);
    }

    /**
     * Runs {@code action} at city time {@code timeSeconds}. Exact for absolute times such as trace arrivals,
     * where {@code schedule(t - now(), …)} could round.
     *
     * @throws IllegalArgumentException when the time is before {@link #now()}, NaN or infinite
     */
    public Scheduled scheduleAt(double timeSeconds, Runnable action) {
        if (!(timeSeconds >= now) || timeSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("event time must be finite and >= now " + now + ", was "
                    + timeSeconds);
        }
        return push(timeSeconds, action);
    }

    /** Runs events until none is left. */
    public void run() {
        enter();
        try {
            while (size > 0) {
                fire(poll());
            }
        } finally {
            running = false;
        }
    }

    /**
     * Runs every event due at or before {@code timeSeconds}, including those they schedule within that
     * horizon, then sets the clock to {@code timeSeconds}.
     *
     * @throws IllegalArgumentException when {@code timeSeconds} is before {@link #now()}, NaN or infinite
     */
    public void runUntil(double timeSeconds) {
        if (!(timeSeconds >= now) || timeSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("runUntil needs a finite time >= now " + now + ", was "
                    + timeSeconds + " (use run() to run to the end)");
        }
        enter();
        try {
            while (size > 0 && heap[0].time <= timeSeconds) {
                fire(poll());
            }
            now = timeSeconds;
        } finally {
            running = false;
        }
    }

    /** Runs the next event, if any; returns whether there was one. */
    public boolean runNext() {
        enter();
        try {
            if (size == 0) {
                return false;
            }
            fire(poll());
            return true;
        } finally {
            running = false;
        }
    }

    /** Events scheduled and neither run nor cancelled. */
    public int pending() {
        return size;
    }

    /** Events run so far (cancelled ones are not counted). */
    public long eventsRun() {
        return eventsRun;
    }

    /** Time of the next event, or {@link Double#POSITIVE_INFINITY} when none is pending. */
    public double nextEventTime() {
        return size == 0 ? Double.POSITIVE_INFINITY : heap[0].time;
    }

    // ---- the heap ---------------------------------------------------------------------------------------

    private void enter() {
        if (running) {
            throw new IllegalStateException("the scheduler is already running: an action must schedule events, "
                    + "not run them");
        }
        running = true;
    }

    private void fire(Event e) {
        Runnable action = e.action;
        e.action = null; // the handle may outlive the run; don't keep the action's captures alive
        now = e.time;    // never backwards: the heap only holds times >= now
        eventsRun++;
        action.run();
    }

    private Event push(double time, Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        Event e = new Event(time, nextSequence++, action);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, e);
        return e;
    }

    private Event poll() {
        Event first = heap[0];
        int last = --size;
        Event moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved);
        }
        first.index = -1;
        return first;
    }

    private void removeAt(int i) {
        Event removed = heap[i];
        int last = --size;
        if (i == last) {
            heap[last] = null;
        } else {
            Event moved = heap[last];
            heap[last] = null;
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        removed.index = -1;
    }

    private static boolean before(Event a, Event b) {
        return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
    }

    private void siftUp(int i, Event e) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i, Event e) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Event c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[right];
            }
            if (!before(c, e)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }

    /** One scheduled action, and its own cancellation handle. */
    private final class Event implements Scheduled {
        final double time;
        final long sequence;
        Runnable action;
        /** Slot in the heap, -1 once run or cancelled. */
        int index = -1;

        Event(double time, long sequence, Runnable action) {
            this.time = time;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public void cancel() {
            if (index >= 0) {
                removeAt(index);
                action = null;
            }
        }

        @Override
        public String toString() {
            return "Event[t=" + time + ", seq=" + sequence + (index >= 0 ? ", pending]" : ", done]");
        }
    }
}
