package dev.edgeweave.testbed.workload;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A generated arrival stream: one entry per prompt, sorted by arrival time, held as parallel primitive arrays
 * (a million prompts take about 60 MB and no object per prompt). Immutable; the indexed accessors do not
 * allocate except {@link #size(int)}.
 *
 * <p>Entry {@code i} is the prompt with id {@code i} of this stream: arrival time (city seconds from 0), model
 * (an index into {@link #models()}), user ({@code 0…users−1}), access point (an index into
 * {@link #accessPointIds()}, the city's order), its {@link PromptSize} fields and its SLO (its class's).
 */
public final class Workload {

    /** Where an arrival came from. */
    public enum Origin {
        /** A row of the chat trace, replayed at its (compressed) time. */
        TRACE,
        /** The seeded base Poisson process of its class. */
        POISSON,
        /** The extra arrivals of a burst. */
        BURST
    }

    private static final Origin[] ORIGINS = Origin.values();

    private final String scenarioName;
    private final WorkloadOptions options;
    private final ModelCatalog models;
    private final ModelClass[] classOfModel;
    private final double[] sloOfModel;
    private final List<String> accessPointIds;
    private final int users;
    private final double endSeconds;
    private final OptionalDouble shiftAtSeconds;
    private final double chatTimeCompression;
    private final Path traceFile;
    private final int clampedSizes;
    private final Columns c;

    Workload(String scenarioName, WorkloadOptions options, ModelCatalog models, ModelClass[] classOfModel,
             double[] sloOfModel, List<String> accessPointIds, int users, double endSeconds,
             OptionalDouble shiftAtSeconds, double chatTimeCompression, Path traceFile, int clampedSizes,
             Columns columns) {
        this.scenarioName = scenarioName;
        this.options = options;
        this.models = models;
        this.classOfModel = classOfModel;
        this.sloOfModel = sloOfModel;
        this.accessPointIds = List.copyOf(accessPointIds);
        this.users = users;
        this.endSeconds = endSeconds;
        this.shiftAtSeconds = shiftAtSeconds;
        this.chatTimeCompression = chatTimeCompression;
        this.traceFile = traceFile;
        this.clampedSizes = clampedSizes;
        this.c = columns;
    }

    // ---- the stream ------------------------------------------------------------------------------------------

    /** Number of prompts. */
    public int size() {
        return c.size;
    }

    /** Arrival time of prompt {@code i}, city seconds from the start; non-decreasing in i. */
    public double timeSeconds(int i) {
        return c.time[i];
    }

    /** Index of prompt {@code i}'s model in {@link #models()}. */
    public int modelIndex(int i) {
        return c.model[i];
    }

    public ModelSpec model(int i) {
        return models.models().get(c.model[i]);
    }

    public String modelId(int i) {
        return model(i).id();
    }

    public ModelClass modelClass(int i) {
        return classOfModel[c.model[i]];
    }

    /** User of prompt {@code i}, in {@code [0, users())}. */
    public int user(int i) {
        return c.user[i];
    }

    /** Index of prompt {@code i}'s access point in {@link #accessPointIds()} (the city's order). */
    public int accessPointIndex(int i) {
        return c.accessPoint[i];
    }

    public String accessPointId(int i) {
        return accessPointIds.get(c.accessPoint[i]);
    }

    public int inputTokens(int i) {
        return c.inputTokens[i];
    }

    public int images(int i) {
        return c.images[i];
    }

    public long imagePixels(int i) {
        return c.imagePixels[i];
    }

    public double audioSeconds(int i) {
        return c.audioSeconds[i];
    }

    /** Requested output tokens; 0 means the model's default. */
    public int outputTokens(int i) {
        return c.outputTokens[i];
    }

    /** Requested diffusion steps; 0 means the model's default. */
    public int steps(int i) {
        return c.steps[i];
    }

    /** Pixels of the image to generate; 0 means the model's default. */
    public long outputPixels(int i) {
        return c.outputPixels[i];
    }

    /** Bytes of content on the uplink (the scenario's payload rates × the sizes). */
    public long inputBytes(int i) {
        return c.inputBytes[i];
    }

    /** Prompt {@code i}'s sizes as a record (allocates). */
    public PromptSize size(int i) {
        return new PromptSize(c.inputTokens[i], c.images[i], c.imagePixels[i], c.audioSeconds[i], c.outputTokens[i],
                c.steps[i], c.outputPixels[i], c.inputBytes[i]);
    }

    /** SLO of prompt {@code i}: its class's, seconds. */
    public double sloSeconds(int i) {
        return sloOfModel[c.model[i]];
    }

    public Origin origin(int i) {
        return ORIGINS[c.origin[i]];
    }

    // ---- what it was generated from ----------------------------------------------------------------------------

    public String scenarioName() {
        return scenarioName;
    }

    public WorkloadOptions options() {
        return options;
    }

    /** The models prompts name, indexed by {@link #modelIndex}: the scenario's models, in its order. */
    public ModelCatalog models() {
        return models;
    }

    /** The city's access point ids, indexed by {@link #accessPointIndex}. */
    public List<String> accessPointIds() {
        return accessPointIds;
    }

    /** Number of users. */
    public int users() {
        return users;
    }

    /**
     * The end of the workload in city seconds: the scenario's duration, or (for a horizon in prompts) the last
     * arrival's time. Arrivals fall in {@code [0, end)}, or {@code [0, end]} by prompts.
     */
    public double endSeconds() {
        return endSeconds;
    }

    /** When the demand shift took effect, if one did. */
    public OptionalDouble shiftAtSeconds() {
        return shiftAtSeconds;
    }

    /**
     * The factor by which chat trace time was compressed before any shift: trace seconds per city second,
     * {@code chatShare × reference × load / traceRate}; NaN when chat is not replayed.
     */
    public double chatTimeCompression() {
        return chatTimeCompression;
    }

    /** The trace read for chat arrivals and sizes, or null when the scenario needs none. */
    public Path traceFile() {
        return traceFile;
    }

    /** Sizes above a model's limit that were lowered to it (trace rows beyond a deployment's context cap). */
    public int clampedSizes() {
        return clampedSizes;
    }

    /** Prompts per class. */
    public Map<ModelClass, Integer> countsByClass() {
        Map<ModelClass, Integer> out = new EnumMap<>(ModelClass.class);
        int[] byModel = countsByModel();
        for (int m = 0; m < byModel.length; m++) {
            out.merge(classOfModel[m], byModel[m], Integer::sum);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Prompts per model, indexed like {@link #models()}. */
    public int[] countsByModel() {
        int[] out = new int[classOfModel.length];
        for (int i = 0; i < c.size; i++) {
            out[c.model[i]]++;
        }
        return out;
    }

    @Override
    public String toString() {
        return "Workload[" + scenarioName + ", seed " + options.seed() + ", load " + options.load() + ", "
                + c.size + " prompts over " + endSeconds + " s]";
    }

    /** Growable parallel arrays, filled by the generator. */
    static final class Columns {
        double[] time;
        int[] model;
        int[] user;
        int[] accessPoint;
        int[] inputTokens;
        int[] images;
        int[] imagePixels;
        double[] audioSeconds;
        int[] outputTokens;
        int[] steps;
        int[] outputPixels;
        long[] inputBytes;
        byte[] origin;
        int size;

        Columns(int capacity) {
            int cap = Math.max(16, capacity);
            time = new double[cap];
            model = new int[cap];
            user = new int[cap];
            accessPoint = new int[cap];
            inputTokens = new int[cap];
            images = new int[cap];
            imagePixels = new int[cap];
            audioSeconds = new double[cap];
            outputTokens = new int[cap];
            steps = new int[cap];
            outputPixels = new int[cap];
            inputBytes = new long[cap];
            origin = new byte[cap];
        }

        /** Makes room for one more entry and returns its index. */
        int append() {
            if (size == time.length) {
                grow(Math.max(size + 16, size + (size >> 1)));
            }
            return size++;
        }

        void grow(int cap) {
            time = java.util.Arrays.copyOf(time, cap);
            model = java.util.Arrays.copyOf(model, cap);
            user = java.util.Arrays.copyOf(user, cap);
            accessPoint = java.util.Arrays.copyOf(accessPoint, cap);
            inputTokens = java.util.Arrays.copyOf(inputTokens, cap);
            images = java.util.Arrays.copyOf(images, cap);
            imagePixels = java.util.Arrays.copyOf(imagePixels, cap);
            audioSeconds = java.util.Arrays.copyOf(audioSeconds, cap);
            outputTokens = java.util.Arrays.copyOf(outputTokens, cap);
            steps = java.util.Arrays.copyOf(steps, cap);
            outputPixels = java.util.Arrays.copyOf(outputPixels, cap);
            inputBytes = java.util.Arrays.copyOf(inputBytes, cap);
            origin = java.util.Arrays.copyOf(origin, cap);
        }

        /** Copies entry {@code from} of {@code src} to the end of this. */
        void copyFrom(Columns src, int from) {
            int i = append();
            time[i] = src.time[from];
            model[i] = src.model[from];
            user[i] = src.user[from];
            accessPoint[i] = src.accessPoint[from];
            inputTokens[i] = src.inputTokens[from];
            images[i] = src.images[from];
            imagePixels[i] = src.imagePixels[from];
            audioSeconds[i] = src.audioSeconds[from];
            outputTokens[i] = src.outputTokens[from];
            steps[i] = src.steps[from];
            outputPixels[i] = src.outputPixels[from];
            inputBytes[i] = src.inputBytes[from];
            origin[i] = src.origin[from];
        }

        /** Trims the arrays to the size (drops the growth slack). */
        void trim() {
            if (time.length != size) {
                grow(size);
            }
        }
    }
}
