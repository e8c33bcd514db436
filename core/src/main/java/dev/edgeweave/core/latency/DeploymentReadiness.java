package dev.edgeweave.core.latency;

/**
 * Whether a model is ready to serve on a candidate server: {@link Kind#READY}, {@link Kind#LOADING} with the
 * seconds left, or {@link Kind#COLD} (not there, but it fits and could be loaded).
 *
 * <p>A record of a kind and an ETA rather than a sealed hierarchy: {@link #READY} and {@link #COLD} are shared
 * constants, so building candidates allocates only for the loading ones.
 *
 * @param kind       the state
 * @param etaSeconds seconds until a loading model serves; 0 unless {@code LOADING}
 */
public record DeploymentReadiness(Kind kind, double etaSeconds) {

    /** The states a deployment can be in, as the router sees it. */
    public enum Kind { READY, LOADING, COLD }

    public static final DeploymentReadiness READY = new DeploymentReadiness(Kind.READY, 0.0);
    public static final DeploymentReadiness COLD = new DeploymentReadiness(Kind.COLD, 0.0);

    public DeploymentReadiness {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (!(etaSeconds >= 0) || Double.isInfinite(etaSeconds)) {
            throw new IllegalArgumentException("etaSeconds must be finite and >= 0, was " + etaSeconds);
        }
        if (kind != Kind.LOADING && etaSeconds != 0.0) {
            throw new IllegalArgumentException("only a LOADING deployment has an ETA; " + kind + " had " + etaSeconds);
        }
    }

    /** A model that is loading and will serve in {@code etaSeconds}. */
    public static DeploymentReadiness loading(double etaSeconds) {
        return new DeploymentReadiness(Kind.LOADING, etaSeconds);
    }
}
