package dev.edgeweave.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PromptSizeMeanTest {

    @Test
    void averagesFieldByFieldRoundingCounts() {
        PromptSizeMean mean = new PromptSizeMean();
        mean.add(new PromptSize(100, 1, 1000, 2.0, 10, 4, 0, 400));
        mean.add(new PromptSize(201, 0, 0, 3.0, 21, 0, 512, 800));
        assertEquals(2, mean.count());
        assertEquals(new PromptSize(151, 1, 500, 2.5, 16, 2, 256, 600), mean.mean());
    }

    @Test
    void nothingToAverageIsAnError() {
        assertThrows(IllegalStateException.class, () -> new PromptSizeMean().mean());
    }

    @Test
    void mergingPartialMeansEqualsOneMeanOverEveryPrompt() {
        PromptSizeMean all = new PromptSizeMean();
        PromptSizeMean a = new PromptSizeMean();
        PromptSizeMean b = new PromptSizeMean();
        for (int i = 1; i <= 9; i++) {
            PromptSize z = new PromptSize(100 * i, i % 2, 1000L * i, 0.5 * i, 10 * i, i, 0, 400L * i);
            all.add(z);
            (i <= 4 ? a : b).add(z);
        }
        PromptSizeMean merged = PromptSizeMean.merged(a, b);
        assertEquals(9, merged.count());
        assertEquals(all.mean(), merged.mean());
    }
}
