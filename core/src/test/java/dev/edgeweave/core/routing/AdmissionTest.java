package dev.edgeweave.core.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void admitsUpToTheFactorTimesTheSloAndNoMore() {
        assertTrue(Admission.admits(40, 10, 4));
        assertFalse(Admission.admits(40.001, 10, 4));
        assertTrue(Admission.admits(5, 10, 4));
    }

    @Test
    void aFactorOfZeroAdmitsEverything() {
        assertTrue(Admission.admits(1e9, 1, 0));
    }
}
