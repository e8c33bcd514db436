package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.Link;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A testbed scenario, as loaded and validated by {@link ScenarioLoader} from a YAML file. Immutable.
 *
 * @param name           the scenario's name, e.g. {@code bristol-7}
 * @param description    what it represents
 * @param source         the file or resource it was loaded from
 * @param city           access points, sites, servers, with the measured links already applied
 * @param measuredLinks  the links the file gives measured values for (empty when none)
 * @param gpus           the GPU catalog: {@link GpuCatalog#standard()} plus any scenario-defined GPU types, with
 *                       the standard reference GPU
 * @param models         the models served, catalog models and {@link ModelVariant}s, in file order
 * @param variants       the variants among {@code models}
 * @param sloSeconds     SLO per class, seconds, for every class that has models
 * @param loadReference  what load 1.0 is
 * @param horizon        how long the workload runs
 * @param workload       mix, sizes, chat source, bursts, shift, users
 * @param seeds          the seeds an evaluation runs by default (overridden by {@code --seeds N})
 */
public record Scenario(
        String name,
        String description,
        String source,
        City city,
        Map<Link, NetworkPath> measuredLinks,
        GpuCatalog gpus,
        ModelCatalog models,
        List<ModelVariant> variants,
        Map<ModelClass, Double> sloSeconds,
        LoadReference loadReference,
        Horizon horizon,
        WorkloadSpec workload,
        List<Long> seeds) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(city, "city");
        measuredLinks = Collections.unmodifiableMap(new LinkedHashMap<>(measuredLinks));
        Objects.requireNonNull(gpus, "gpus");
        Objects.requireNonNull(models, "models");
        variants = List.copyOf(variants);
        EnumMap<ModelClass, Double> slo = new EnumMap<>(ModelClass.class);
        slo.putAll(sloSeconds);
        sloSeconds = Collections.unmodifiableMap(slo);
        Objects.requireNonNull(loadReference, "loadReference");
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(workload, "workload");
        seeds = List.copyOf(seeds);
    }

    /** The SLO of {@code modelClass}, seconds; an exception when the scenario has no model of that class. */
    public double sloSeconds(ModelClass modelClass) {
        Double slo = sloSeconds.get(modelClass);
        if (slo == null) {
            throw new IllegalArgumentException("scenario " + name + " has no SLO for class " + modelClass
                    + " (it serves no model of it)");
        }
        return slo;
    }

    /** The catalog model {@code modelId} is (itself for a catalog model, the base for a variant). */
    public String baseModelId(String modelId) {
        models.require(modelId);
        for (ModelVariant v : variants) {
            if (v.id().equals(modelId)) {
                return v.baseId();
            }
        }
        return modelId;
    }

    /**
     * Each model's share of all arrivals before any shift and outside bursts: class share × model share, in
     * catalog order, summing to 1. This is the mix in which capacity is defined.
     */
    public Map<String, Double> modelArrivalShares() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ModelSpec m : models.models()) {
            out.put(m.id(), 0.0);
        }
        for (ClassMix mix : workload.classes().values()) {
            for (ModelShare ms : mix.models()) {
                out.put(ms.modelId(), mix.share() * ms.share());
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
