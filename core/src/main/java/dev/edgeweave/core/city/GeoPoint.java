package dev.edgeweave.core.city;

/**
 * A point on the Earth in WGS-84 degrees.
 *
 * @param latDeg latitude, −90…90
 * @param lonDeg longitude, −180…180
 */
public record GeoPoint(double latDeg, double lonDeg) {

    /** Mean Earth radius (IUGG), the usual radius for the haversine formula; its error is ~0.3% vs the ellipsoid. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    public GeoPoint {
        if (!(latDeg >= -90 && latDeg <= 90)) {
            throw new IllegalArgumentException("latDeg must be in [-90, 90], was " + latDeg);
        }
        if (!(lonDeg >= -180 && lonDeg <= 180)) {
            throw new IllegalArgumentException("lonDeg must be in [-180, 180], was " + lonDeg);
        }
    }

    /** Great-circle distance to {@code other} in km (haversine, numerically stable at short distances). */
    public double distanceKm(GeoPoint other) {
        double phi1 = Math.toRadians(latDeg);
        double phi2 = Math.toRadians(other.latDeg);
        double dPhi = phi2 - phi1;
        double dLambda = Math.toRadians(other.lonDeg - lonDeg);
        double sinPhi = Math.sin(dPhi / 2);
        double sinLambda = Math.sin(dLambda / 2);
        double h = sinPhi * sinPhi + Math.cos(phi1) * Math.cos(phi2) * sinLambda * sinLambda;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
