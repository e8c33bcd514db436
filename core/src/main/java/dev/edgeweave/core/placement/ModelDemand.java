package dev.edgeweave.core.placement;

import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.util.Objects;

/**
 * How much a model is asked for: an arrival rate and a typical prompt, from which the placement computes
 * the GPU time the model needs on each GPU type.
 *
 * @param model    the model
 * @param rate     prompts per second (or any consistent unit: a share of the arrivals works the same)
 * @param typical  a representative prompt (the mean sizes of recent or expected prompts)
 * @param priority how much spare capacity the model's class should get, relative to 1; the fairness
 *                 controller raises it for the worst-served class
 */
public record ModelDemand(ModelSpec model, double rate, PromptSize typical, double priority) {

    public ModelDemand {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(typical, "typical");
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate of " + model.id() + " must be finite and >= 0, was " + rate);
        }
        if (!(priority > 0) || Double.isInfinite(priority)) {
            throw new IllegalArgumentException("priority of " + model.id() + " must be finite and > 0, was " + priority);
        }
    }

    public ModelDemand(ModelSpec model, double rate, PromptSize typical) {
        this(model, rate, typical, 1.0);
    }
}
