package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;

/**
 * {@code nearest}: the candidate closest to the prompt's access point, ignoring load.
 *
 * <p>Source: DESIGN "Evaluation" (the nearest-server baseline), the proximity-only assignment edge-computing
 * work compares against. Nothing to adapt: smallest {@link Candidates#distanceKm}, a tie going to the shorter
 * round trip of the path, then to the lower server index. Deterministic, no randomness.
 */
public final class NearestRouter implements Router {

    public static final String NAME = "nearest";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int choose(RouteRequest request, Candidates candidates) {
        int n = candidates.size();
        int chosen = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        double bestRtt = Double.POSITIVE_INFINITY;
        int bestServer = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double distance = candidates.distanceKm(i);
            if (chosen >= 0 && distance > bestDistance) {
                continue;
            }
            // A farther candidate is passed over without reading its path.
            double rtt = candidates.path(i).rttSeconds();
            int server = candidates.serverIndex(i);
            boolean better = chosen < 0
                    || distance < bestDistance
                    || rtt < bestRtt
                    || (rtt == bestRtt && server < bestServer);
            if (better) {
                chosen = i;
                bestDistance = distance;
                bestRtt = rtt;
                bestServer = server;
            }
        }
        return chosen;
    }
}
