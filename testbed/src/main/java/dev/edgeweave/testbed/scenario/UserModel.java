package dev.edgeweave.testbed.scenario;

/**
 * Users and where they connect. Each of {@code count} users has a home access point; homes are drawn with
 * Zipf weights {@code 1 / (rank + 1)^accessPointZipf} over a seeded ranking of the access points, so a few
 * cells are busy and most are quiet, as cellular load is. Every prompt belongs to a user drawn uniformly, and
 * enters at that user's access point (moved by a {@link Shift}, or the burst's during a localised
 * {@link Burst}). Uniform users make per-user fairness measure the service a user gets, not how often they ask.
 *
 * @param count            users, at least 1
 * @param accessPointZipf  the Zipf exponent of access-point popularity, ≥ 0 (0 = all equally popular)
 */
public record UserModel(int count, double accessPointZipf) {

    public UserModel {
        if (count < 1) {
            throw new IllegalArgumentException("user count must be >= 1, was " + count);
        }
        if (!(accessPointZipf >= 0) || Double.isInfinite(accessPointZipf)) {
            throw new IllegalArgumentException("accessPointZipf must be finite and >= 0, was " + accessPointZipf);
        }
    }
}
