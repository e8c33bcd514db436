package dev.edgeweave.core.city;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeoPointTest {

    @ParameterizedTest(name = "({0}, {1}) -> ({2}, {3}) = {4} km")
    @CsvSource({
            "0, 0, 0, 0, 0.0, 1e-9",
            // 1° of latitude: R · π/180
            "0, 0, 1, 0, 111.195080, 1e-6",
            // quarter of the equator: R · π/2
            "0, 0, 0, 90, 10007.557221, 1e-6",
            // antipodes: R · π (the asin argument is clamped at 1)
            "0, 0, 0, 180, 20015.114442, 1e-6",
            // 1° of longitude at 60° N: 2R·asin(cos 60° · sin 0.5°) = 55.597 km
            "60, 0, 60, 1, 55.597, 1e-3",
            // London -> Paris, commonly given as ~343.5 km by haversine
            "51.5074, -0.1278, 48.8566, 2.3522, 343.56, 0.05"
    })
    void haversineDistance(double lat1, double lon1, double lat2, double lon2, double km, double tolerance) {
        GeoPoint a = new GeoPoint(lat1, lon1);
        GeoPoint b = new GeoPoint(lat2, lon2);
        assertEquals(km, a.distanceKm(b), tolerance);
        assertEquals(a.distanceKm(b), b.distanceKm(a), 1e-9, "symmetric");
    }

    @Test
    void outOfRangeCoordinatesAreRefusedNamingTheField() {
        IllegalArgumentException lat = assertThrows(IllegalArgumentException.class, () -> new GeoPoint(91, 0));
        assertTrue(lat.getMessage().contains("latDeg"), lat.getMessage());
        IllegalArgumentException lon = assertThrows(IllegalArgumentException.class, () -> new GeoPoint(0, Double.NaN));
        assertTrue(lon.getMessage().contains("lonDeg"), lon.getMessage());
    }
}
