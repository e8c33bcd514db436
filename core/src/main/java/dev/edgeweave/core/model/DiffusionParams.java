package dev.edgeweave.core.model;

import java.util.Objects;

/**
 * Parameters of the image-generation law: each denoising step costs {@code stepFlops}, and the text
 * encoders plus the VAE decoder cost {@code fixedFlops}, both at {@code referencePixels} output pixels and
 * scaled linearly with the pixels asked for. Linear scaling ignores attention's quadratic growth at higher
 * resolution and that the text encoders do not grow at all; at the 512²–1024² range of the catalog the two
 * errors partly cancel, and the calibration rows hold within tolerance.
 *
 * @param stepFlops       work of one denoising step at {@code referencePixels} (all U-Net passes of the step)
 * @param fixedFlops      work done once per image at {@code referencePixels} (text encoders, VAE decode)
 * @param referencePixels output pixels at which the work figures apply, also the default resolution
 * @param defaultSteps    steps assumed when a prompt does not say (requested 0)
 * @param efficiency      η: achieved / peak dense FP16 FLOP/s, in (0, 1]
 * @param batching        aggregate images/s gain with concurrent prompts
 */
public record DiffusionParams(
        double stepFlops,
        double fixedFlops,
        long referencePixels,
        int defaultSteps,
        double efficiency,
        BatchScaling batching) implements LatencyParams {

    public DiffusionParams {
        LatencyParams.positive("stepFlops", stepFlops);
        LatencyParams.nonNegative("fixedFlops", fixedFlops);
        LatencyParams.positive("referencePixels", referencePixels);
        if (defaultSteps < 1) {
            throw new IllegalArgumentException("defaultSteps must be >= 1, was " + defaultSteps);
        }
        LatencyParams.efficiency("efficiency", efficiency);
        Objects.requireNonNull(batching, "batching");
    }

    @Override
    public boolean fits(ModelClass modelClass) {
        return modelClass == ModelClass.IMAGE_GENERATION;
    }
}
