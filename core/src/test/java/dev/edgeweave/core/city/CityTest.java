package dev.edgeweave.core.city;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Default paths by hand, and measured links overriding them. All places lie on the meridian 14.4° E, so
 * distances are R·Δφ: 0.1° = 6371.0088 · 0.1 · π/180 = 11.1195080 km.
 */
class CityTest {

    static final GpuType L4 = GpuCatalog.standard().require("l4");

    static final City CITY = new City(
            List.of(new AccessPoint("ap-sa", new GeoPoint(50.0, 14.4), RadioTech.NR_SA),
                    new AccessPoint("ap-lte", new GeoPoint(50.0, 14.4), RadioTech.LTE)),
            List.of(new EdgeSite("site-a", new GeoPoint(50.1, 14.4)),
                    new EdgeSite("site-b", new GeoPoint(50.3, 14.4))),
            List.of(new EdgeServer("s1", "site-a", List.of(L4)),
                    new EdgeServer("s2", "site-a", List.of(L4, L4)),
                    new EdgeServer("s3", "site-b", List.of(L4), 2e9)));

    @ParameterizedTest(name = "{0} -> {1}: rtt {2} s")
    @CsvSource({
            // radio 0.0115 + 11.1195080 km · 1.4 · 9.8e-6 (0.000152560) + 4 hops · 0.1 ms
            "ap-sa, s1, 0.012052560, 21.1e6, 166.1e6",
            // radio 0.030 + the same fibre
            "ap-lte, s1, 0.030552560, 6.3e6, 21.3e6",
            // 0.3° = 33.3585241 km: 0.0115 + 0.000457679 + 0.0004
            "ap-sa, s3, 0.012357679, 21.1e6, 166.1e6",
            // same site: hops only
            "s1, s2, 0.000400000, 10e9, 10e9",
            // 0.2° = 22.2390161 km: 0.000305119 + 0.0004
            "s1, s3, 0.000705119, 10e9, 10e9"
    })
    void defaultPathIsRadioPlusFibre(String from, String to, double rtt, double uplink, double downlink) {
        NetworkPath path = CITY.path(from, to);
        assertEquals(rtt, path.rttSeconds(), 1e-9);
        assertEquals(uplink, path.uplinkBitsPerSecond(), 1e-3);
        assertEquals(downlink, path.downlinkBitsPerSecond(), 1e-3);
        assertFalse(path.measured());
    }

    @Test
    void aServerToItselfIsLoopback() {
        assertSame(NetworkPath.LOOPBACK, CITY.path("s2", "s2"));
    }

    @Test
    void aMeasuredLinkOverridesTheDefaultWithoutChangingTheOriginal() {
        NetworkPath measured = NetworkPath.measured(0.007, 30e6, 250e6);
        City updated = CITY.withMeasured("ap-sa", "s1", measured);

        assertSame(measured, updated.path("ap-sa", "s1"));
        assertEquals(0.012052560, updated.defaultPath("ap-sa", "s1").rttSeconds(), 1e-9);
        assertFalse(CITY.path("ap-sa", "s1").measured(), "the original city is unchanged");
        assertEquals(CITY.path("ap-lte", "s1"), updated.path("ap-lte", "s1"), "other links keep their default");
        assertEquals(List.of(new Link("ap-sa", "s1")), updated.measuredLinks());
        assertTrue(CITY.measuredLinks().isEmpty());
    }

    @Test
    void aBatchOfSamplesAndReverting() {
        City updated = CITY.withMeasured(Map.of(
                new Link("ap-sa", "s1"), NetworkPath.measured(0.009, 20e6, 100e6),
                new Link("ap-sa", "s3"), NetworkPath.measured(0.011, 20e6, 100e6),
                new Link("s1", "s3"), NetworkPath.measured(0.001, 1e9, 1e9)));
        assertEquals(3, updated.measuredLinks().size());
        assertEquals(0.011, updated.path("ap-sa", "s3").rttSeconds(), 0);

        City reverted = updated.withDefault("ap-sa", "s3");
        assertEquals(0.012357679, reverted.path("ap-sa", "s3").rttSeconds(), 1e-9);
        assertEquals(0.009, reverted.path("ap-sa", "s1").rttSeconds(), 0);
        assertSame(CITY, CITY.withDefault("ap-sa", "s3"), "reverting a default link is a no-op");
    }

    @Test
    void onlyAMeasuredPathOverridesADefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CITY.withMeasured("ap-sa", "s1", new NetworkPath(0.01, 1e6, 1e6, false)));
        assertTrue(e.getMessage().contains("ap-sa/s1"), e.getMessage());
    }

    @Test
    void unknownEndpointsAreNamed() {
        IllegalArgumentException from = assertThrows(IllegalArgumentException.class, () -> CITY.path("ap-x", "s1"));
        assertTrue(from.getMessage().contains("'ap-x'"), from.getMessage());
        IllegalArgumentException to = assertThrows(IllegalArgumentException.class, () -> CITY.path("ap-sa", "site-a"));
        assertTrue(to.getMessage().contains("'site-a'") && to.getMessage().contains("s1"), to.getMessage());
        IllegalArgumentException measured = assertThrows(IllegalArgumentException.class,
                () -> CITY.withMeasured("ap-sa", "s9", NetworkPath.measured(0.01, 1e6, 1e6)));
        assertTrue(measured.getMessage().contains("'s9'"), measured.getMessage());
    }

    @Test
    void duplicateIdsAcrossKindsAreRefusedNamingTheId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new City(
                List.of(new AccessPoint("x1", new GeoPoint(0, 0), RadioTech.LTE)),
                List.of(new EdgeSite("x1", new GeoPoint(0, 0))),
                List.of()));
        assertTrue(e.getMessage().contains("'x1'") && e.getMessage().contains("access point")
                && e.getMessage().contains("edge site"), e.getMessage());
    }

    @Test
    void aServerAtAnUnknownSiteIsRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new City(
                List.of(),
                List.of(new EdgeSite("site-a", new GeoPoint(0, 0))),
                List.of(new EdgeServer("s1", "site-z", List.of(L4)))));
        assertTrue(e.getMessage().contains("'s1'") && e.getMessage().contains("'site-z'"), e.getMessage());
    }

    @Test
    void idsMustBeUsableInLinkKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EdgeSite("north/1", new GeoPoint(0, 0)));
        assertTrue(e.getMessage().contains("'north/1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AccessPoint(" ", new GeoPoint(0, 0), RadioTech.LTE));
    }

    @Test
    void aServerNeedsAGpuAndDefaultsToHalfAGigabytePerSecondOfStorage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EdgeServer("s9", "site-a", List.of()));
        assertTrue(e.getMessage().contains("s9"), e.getMessage());
        assertEquals(0.5e9, CITY.requireServer("s1").storageBytesPerSecond(), 0);
        assertEquals(2e9, CITY.requireServer("s3").storageBytesPerSecond(), 0);
        assertEquals(48_000_000_000L, CITY.requireServer("s2").totalMemoryBytes());
    }

    @Test
    void linkKeysRoundTrip() {
        assertEquals("ap-sa/s1", new Link("ap-sa", "s1").key());
        assertEquals(new Link("s1", "s3"), Link.parse("s1/s3"));
        for (String bad : new String[] {"s1", "/s1", "s1/", "a/b/c"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Link.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}: {1} s, {2} / {3} bit/s")
    @CsvSource({
            "NR_SA, 0.0115, 21.1e6, 166.1e6",
            "NR_NSA, 0.030, 21.1e6, 166.1e6",
            "LTE, 0.030, 6.3e6, 21.3e6"
    })
    void radioDefaultsFollowCatalogFactsSection8(RadioTech radio, double rtt, double up, double down) {
        assertEquals(rtt, radio.defaultRttSeconds(), 0);
        assertEquals(up, radio.uplinkBitsPerSecond(), 0);
        assertEquals(down, radio.downlinkBitsPerSecond(), 0);
    }
}
