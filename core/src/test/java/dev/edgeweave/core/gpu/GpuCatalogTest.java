package dev.edgeweave.core.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuCatalogTest {

    static final GpuCatalog CATALOG = GpuCatalog.standard();

    /** The figures of catalog-facts §1, pinned so an edit that strays from the facts is seen. */
    @ParameterizedTest(name = "{0}: {1} GB, {2} TFLOPS, {3} GB/s")
    @CsvSource({
            "jetson-orin-nx-16gb, 16, 15.0, 102.0",
            "jetson-agx-orin-32gb, 32, 27.0, 204.8",
            "jetson-agx-orin-64gb, 64, 42.5, 204.8",
            "l4, 24, 121.0, 300.0",
            "a10g, 24, 125.0, 600.0",
            "rtx-4090, 24, 165.2, 1008.0",
            "a100-40gb, 40, 312.0, 1555.0",
            "a100-80gb, 80, 312.0, 2039.0",
            "h100-pcie, 80, 756.0, 2000.0",
            "h100-sxm, 80, 989.0, 3350.0"
    })
    void figuresMatchCatalogFacts(String id, long memoryGb, double tflops, double bandwidthGBps) {
        GpuType gpu = CATALOG.require(id);
        assertEquals(memoryGb * 1_000_000_000L, gpu.memoryBytes());
        assertEquals(tflops, gpu.fp16Tflops(), 1e-9);
        assertEquals(bandwidthGBps, gpu.memoryBandwidthGBps(), 1e-9);
        assertTrue(gpu.source().contains("catalog-facts §1"), gpu.source());
    }

    @Test
    void holdsAtLeastFiveGpusWithUniqueIds() {
        List<GpuType> gpus = CATALOG.gpus();
        assertTrue(gpus.size() >= 5, "only " + gpus.size() + " GPUs");
        assertEquals(gpus.size(), new HashSet<>(CATALOG.ids()).size());
    }

    @Test
    void referenceGpuIsTheA100_40gbAndInTheCatalog() {
        assertEquals("a100-40gb", CATALOG.referenceGpu().id());
        assertTrue(CATALOG.gpus().contains(CATALOG.referenceGpu()));
    }

    @Test
    void theA10gTflopsIsMarkedAsAnEstimate() {
        assertTrue(CATALOG.require("a10g").hasEstimatedFigures());
        assertFalse(CATALOG.require("a100-40gb").hasEstimatedFigures());
    }

    @Test
    void findReturnsEmptyForAnUnknownId() {
        assertTrue(CATALOG.find("l4").isPresent());
        assertTrue(CATALOG.find("b200").isEmpty());
    }

    @Test
    void requireNamesTheUnknownIdAndListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CATALOG.require("tpu-v5e"));
        assertTrue(e.getMessage().contains("'tpu-v5e'"), e.getMessage());
        assertTrue(e.getMessage().contains("a100-40gb") && e.getMessage().contains("jetson-orin-nx-16gb"),
                e.getMessage());
    }

    @Test
    void aCatalogRejectsDuplicatesAndAMissingReference() {
        GpuType l4 = CATALOG.require("l4");
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> new GpuCatalog(List.of(l4, l4), "l4"));
        assertTrue(dup.getMessage().contains("'l4'"), dup.getMessage());
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class,
                () -> new GpuCatalog(List.of(l4), "a100-40gb"));
        assertTrue(ref.getMessage().contains("'a100-40gb'") && ref.getMessage().contains("l4"), ref.getMessage());
    }

    @Test
    void aGpuTypeRejectsNonPositiveFiguresNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GpuType("x", "X", 1, 0.0, 100, "test"));
        assertTrue(e.getMessage().contains("fp16Tflops") && e.getMessage().contains("x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GpuType("x", "X", 0, 1, 100, "test"));
        assertThrows(IllegalArgumentException.class, () -> new GpuType("x", "X", 1, 1, Double.NaN, "test"));
    }

    @Test
    void unitConversions() {
        GpuType a100 = CATALOG.require("a100-40gb");
        assertEquals(312e12, a100.flopsPerSecond(), 1);
        assertEquals(1555e9, a100.bandwidthBytesPerSecond(), 1);
    }
}
