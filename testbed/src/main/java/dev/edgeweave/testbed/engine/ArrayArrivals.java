package dev.edgeweave.testbed.engine;

import dev.edgeweave.core.model.PromptSize;
import java.util.Objects;

/**
 * {@link Arrivals} over parallel arrays, sorted by time.
 */
public final class ArrayArrivals implements Arrivals {

    private final double[] time;
    private final int[] model;
    private final int[] user;
    private final int[] accessPoint;
    private final PromptSize[] size;
    private final double[] slo;

    /**
     * @throws IllegalArgumentException when the arrays differ in length or the times are not sorted
     */
    public ArrayArrivals(double[] time, int[] model, int[] user, int[] accessPoint, PromptSize[] size, double[] slo) {
        this.time = Objects.requireNonNull(time, "time");
        this.model = model;
        this.user = user;
        this.accessPoint = accessPoint;
        this.size = size;
        this.slo = slo;
        int n = time.length;
        if (model.length != n || user.length != n || accessPoint.length != n || size.length != n || slo.length != n) {
            throw new IllegalArgumentException("arrival arrays differ in length");
        }
        for (int i = 1; i < n; i++) {
            if (time[i] < time[i - 1]) {
                throw new IllegalArgumentException("arrivals are not sorted by time at index " + i);
            }
        }
    }

    @Override public int size() { return time.length; }
    @Override public double time(int i) { return time[i]; }
    @Override public int model(int i) { return model[i]; }
    @Override public int user(int i) { return user[i]; }
    @Override public int accessPoint(int i) { return accessPoint[i]; }
    @Override public PromptSize size(int i) { return size[i]; }
    @Override public double sloSeconds(int i) { return slo[i]; }
}
