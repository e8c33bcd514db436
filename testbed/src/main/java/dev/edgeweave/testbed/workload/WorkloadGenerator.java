package dev.edgeweave.testbed.workload;

import dev.edgeweave.core.city.AccessPoint;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelLimits;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.testbed.scenario.Burst;
import dev.edgeweave.testbed.scenario.ChatSource;
import dev.edgeweave.testbed.scenario.ClassMix;
import dev.edgeweave.testbed.scenario.Distribution;
import dev.edgeweave.testbed.scenario.ModelShare;
import dev.edgeweave.testbed.scenario.Payload;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.SizeField;
import dev.edgeweave.testbed.scenario.UserModel;
import dev.edgeweave.testbed.scenario.WorkloadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates a scenario's arrival stream ({@link Workload}) for a seed, a reference rate and a load. A pure
 * function of its inputs: the same scenario, trace, seed and options give the identical stream.
 *
 * <p><b>Arrivals.</b>
 * <ul>
 *   <li><b>Chat, replayed</b> ({@code chat.mode: replay}): the trace's rows in order, from the first row or a
 *       seeded one ({@code randomStart}), looping when the scenario outlasts the trace. Trace time runs
 *       {@code c = chatShare × reference × load / traceRate} times faster than city time (see
 *       {@link ChatSource}), so the trace's own burstiness is kept and chat is its share of the mix; each row
 *       keeps its token counts and is given a chat model by the class's model shares.</li>
 *   <li><b>Every other class, and chat when resampled</b>: one seeded Poisson process of rate
 *       {@code share × reference × load} per class, merged; the model by the class's model shares; sizes drawn
 *       from the model's distributions (chat: a random trace row, both counts from the same row).</li>
 *   <li><b>Bursts</b>: during a burst the named classes get an extra Poisson stream of
 *       {@code (factor − 1) × their base rate} (see {@link Burst}).</li>
 * </ul>
 * The rates are piecewise constant (bursts and the shift cut time into segments); the Poisson stream draws
 * exponential gaps at the segment's total rate and, at a segment end, restarts from it (exact, by
 * memorylessness), then picks the class and burst in proportion to their rates.
 *
 * <p><b>Users and access points.</b> See {@link UserModel}: each user has a seeded home access point drawn
 * by Zipf popularity over a seeded ranking; each prompt's user is uniform; a localised burst's prompts enter at
 * the burst's access points. <b>Shift</b> (at the scenario's {@code shift.at} or {@code --shift S}): the class
 * shares become the post-shift ones, chat's trace compression follows its new share, and every user moves
 * to the access point {@code round(rotation × n)} popularity ranks further on (see
 * {@link dev.edgeweave.testbed.scenario.Shift}).
 *
 * <p><b>Seeds.</b> Independent streams are split from the seed for users, chat and Poisson arrivals, so the
 * users' homes do not change with the load, and chat's model mapping does not change with the other classes.
 *
 * <p><b>Clamping.</b> A size above its model's limit (only trace rows can be: one of the Azure hour's 19,366
 * prompts has 14,050 tokens, above the 8,192-token deployment cap) is lowered to the limit, as a client
 * truncates to the served context, and counted in {@link Workload#clampedSizes()}. An output of 0 tokens
 * in the trace is requested as 1 (0 would mean the model's default length).
 */
public final class WorkloadGenerator {

    private static final System.Logger LOG = System.getLogger(WorkloadGenerator.class.getName());
    private static final ModelClass[] CLASSES = ModelClass.values();
    /** Prompts drawn per model to estimate its mean work for {@link #shiftRateFactor()}. */
    private static final int WORK_SAMPLES = 500;

    private final Scenario scenario;
    private final TraceReadResult trace;
    private final ModelSpec[] models;
    private final ModelClass[] classOfModel;
    private final double[] sloOfModel;
    /** Per class ordinal: the model indices and their cumulative shares; null when the class has no arrivals. */
    private final int[][] modelsOfClass;
    private final double[][] cumulativeModelShare;
    private final SizeSampler[] samplers;
    private final Payload payload;
    private double shiftRateFactor;

    private WorkloadGenerator(Scenario scenario, TraceReadResult trace) {
        this.scenario = scenario;
        this.trace = trace;
        List<ModelSpec> list = scenario.models().models();
        models = list.toArray(new ModelSpec[0]);
        classOfModel = new ModelClass[models.length];
        sloOfModel = new double[models.length];
        Map<String, Integer> index = new HashMap<>();
        for (int m = 0; m < models.length; m++) {
            classOfModel[m] = models[m].modelClass();
            sloOfModel[m] = scenario.sloSeconds(models[m].modelClass());
            index.put(models[m].id(), m);
        }
        payload = scenario.workload().payload();
        modelsOfClass = new int[CLASSES.length][];
        cumulativeModelShare = new double[CLASSES.length][];
        samplers = new SizeSampler[models.length];
        for (ClassMix mix : scenario.workload().classes().values()) {
            int k = mix.models().size();
            int[] ids = new int[k];
            double[] cum = new double[k];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                ModelShare ms = mix.models().get(j);
                ids[j] = index.get(ms.modelId());
                sum += ms.share();
                cum[j] = sum;
                samplers[ids[j]] = new SizeSampler(models[ids[j]], ms, trace);
            }
            for (int j = 0; j < k; j++) {
                cum[j] /= sum > 0 ? sum : 1;
            }
            modelsOfClass[mix.modelClass().ordinal()] = ids;
            cumulativeModelShare[mix.modelClass().ordinal()] = cum;
        }
    }

    /** A generator for {@code scenario}, reading the scenario's trace if it needs one. */
    public static WorkloadGenerator forScenario(Scenario scenario) {
        return forScenario(scenario, Optional.empty());
    }

    /**
     * A generator for {@code scenario}; {@code traceOverride} ({@code --trace FILE}) replaces the scenario's
     * trace path. The trace is read once here (a {@link TraceException} when it cannot be), so one generator
     * serves many seeds and loads.
     */
    public static WorkloadGenerator forScenario(Scenario scenario, Optional<Path> traceOverride) {
        TraceReadResult trace = null;
        if (needsTrace(scenario)) {
            Path path = traceOverride.orElse(scenario.workload().chat().trace());
            trace = AzureTraceReader.read(path);
            LOG.log(System.Logger.Level.DEBUG, "scenario {0}: trace {1}, {2} rows, {3} skipped",
                    scenario.name(), path, trace.rows(), trace.skipped());
        }
        return new WorkloadGenerator(scenario, trace);
    }

    private static boolean needsTrace(Scenario scenario) {
        WorkloadSpec w = scenario.workload();
        for (ClassMix mix : w.classes().values()) {
            if (mix.modelClass() == ModelClass.CHAT) {
                return true;
            }
            for (ModelShare ms : mix.models()) {
                for (Distribution d : ms.sizes().fields().values()) {
                    if (d instanceof Distribution.FromTrace) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The trace read, or null when the scenario needs none. */
    public TraceReadResult trace() {
        return trace;
    }

    /**
     * The base rate after the shift over the base rate before it: the shift <i>moves</i> demand (between
     * classes and access points) without adding work, so the post-shift rate is scaled to offer the same GPU
     * work per second as before. Work per prompt is each model's mean time alone on the reference GPU over
     * its batching gain at its deployment concurrency, weighted by the class and model shares. Without this a
     * shift towards a class of heavier prompts would also be a rise in load, which is a different experiment
     * ({@code --load}).
     */
    public double shiftRateFactor() {
        if (shiftRateFactor == 0) {
            double before = workPerPrompt(false);
            double after = workPerPrompt(true);
            shiftRateFactor = after > 0 ? before / after : 1.0;
        }
        return shiftRateFactor;
    }

    private double workPerPrompt(boolean afterShift) {
        WorkloadSpec spec = scenario.workload();
        double total = 0;
        for (ModelClass mc : CLASSES) {
            int[] ids = modelsOfClass[mc.ordinal()];
            if (ids == null) {
                continue;
            }
            double classShare = afterShift ? spec.shift().share(mc) : spec.share(mc);
            double[] cum = cumulativeModelShare[mc.ordinal()];
            for (int j = 0; j < ids.length; j++) {
                double modelShare = cum[j] - (j == 0 ? 0 : cum[j - 1]);
                ModelSpec m = models[ids[j]];
                double work = 0;
                List<PromptSize> sample = sampleSizes(m.id(), WORK_SAMPLES, 0);
                for (PromptSize z : sample) {
                    work += LatencyLaws.referenceInferenceSeconds(m, z);
                }
                work /= sample.size();
                double gain = LatencyLaws.aggregateSpeedup(m, PlacementPlanner.concurrencyFor(m));
                total += classShare * modelShare * work / gain;
            }
        }
        return total;
    }

    /**
     * {@code n} prompt sizes of {@code modelId} drawn as the generator draws them (seeded): for estimating a
     * model's mean service time when computing capacity.
     */
    public List<PromptSize> sampleSizes(String modelId, int n, long seed) {
        int m = -1;
        for (int i = 0; i < models.length; i++) {
            if (models[i].id().equals(modelId)) {
                m = i;
            }
        }
        if (m < 0 || samplers[m] == null) {
            throw new IllegalArgumentException("scenario " + scenario.name() + " has no arrivals of model '" + modelId + "'");
        }
        Workload.Columns cols = new Workload.Columns(n);
        SplittableRandom r = new SplittableRandom(seed);
        List<PromptSize> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = cols.append();
            samplers[m].sample(r, cols, i, payload);
            out.add(new PromptSize(cols.inputTokens[i], cols.images[i], cols.imagePixels[i], cols.audioSeconds[i],
                    cols.outputTokens[i], cols.steps[i], cols.outputPixels[i], cols.inputBytes[i]));
        }
        return out;
    }

    /** The workload for {@code options}. */
    public Workload generate(WorkloadOptions options) {
        WorkloadSpec spec = scenario.workload();
        boolean byPrompts = scenario.horizon().byPrompts();
        double end = byPrompts ? Double.POSITIVE_INFINITY : scenario.horizon().seconds();
        double shiftAt = options.shiftAtSeconds().isPresent() ? options.shiftAtSeconds().getAsDouble()
                : spec.shift().at().orElse(Double.NaN);
        if (!Double.isNaN(shiftAt) && shiftAt >= end) {
            throw new IllegalArgumentException("shift at " + shiftAt + " s is not before the end of scenario "
                    + scenario.name() + " (" + end + " s)");
        }
        double rate = options.totalRatePerSecond();

        SplittableRandom root = new SplittableRandom(options.seed());
        SplittableRandom userRandom = root.split();
        SplittableRandom chatRandom = root.split();
        SplittableRandom poissonRandom = root.split();

        Users users = new Users(spec.users(), scenario.city().accessPoints().size(),
                spec.shift().hotAccessPointRotation(), userRandom);
        Segment[] segments = segments(spec, rate, end, shiftAt, byPrompts);
        Map<String, Integer> apIndex = new HashMap<>();
        List<AccessPoint> aps = scenario.city().accessPoints();
        for (int a = 0; a < aps.size(); a++) {
            apIndex.put(aps.get(a).id(), a);
        }
        int[][] burstAps = new int[spec.bursts().size()][];
        for (int b = 0; b < burstAps.length; b++) {
            List<String> ids = spec.bursts().get(b).accessPointIds();
            burstAps[b] = ids.stream().mapToInt(apIndex::get).toArray();
        }

        boolean replay = spec.chat().mode() == ChatSource.Mode.REPLAY && modelsOfClass[ModelClass.CHAT.ordinal()] != null;
        if (replay && byPrompts) {  // the loader refuses this; a scenario built in code might not
            throw new IllegalArgumentException("scenario " + scenario.name() + ": a replayed trace sets its own count, "
                    + "so a horizon in prompts needs chat mode RESAMPLE");
        }
        int[] clamped = new int[1];
        Workload.Columns chat = null;
        double compression = Double.NaN;
        if (replay) {
            compression = rate * spec.share(ModelClass.CHAT) / traceRate();
            chat = replayChat(segments, rate, end, shiftAt, users, chatRandom, spec.chat().randomStart(), clamped);
        }
        long target = byPrompts ? scenario.horizon().prompts() : Long.MAX_VALUE;
        Workload.Columns poisson = poisson(segments, target, shiftAt, users, burstAps, poissonRandom, clamped);
        Workload.Columns merged = chat == null ? poisson : merge(chat, poisson);
        merged.trim();

        double workloadEnd = byPrompts ? (merged.size == 0 ? 0 : merged.time[merged.size - 1]) : end;
        OptionalDouble appliedShift = Double.isNaN(shiftAt) ? OptionalDouble.empty() : OptionalDouble.of(shiftAt);
        List<String> apIds = aps.stream().map(AccessPoint::id).toList();
        return new Workload(scenario.name(), options, scenario.models(), classOfModel, sloOfModel, apIds,
                spec.users().count(), workloadEnd, appliedShift, compression,
                trace == null ? null : trace.file(), clamped[0], merged);
    }

    private double traceRate() {
        double r = trace.meanRatePerSecond();
        if (!(r > 0) || Double.isInfinite(r)) {
            throw new TraceException("trace " + trace.file() + " has " + trace.rows() + " row(s) over "
                    + trace.spanSeconds() + " s: replaying needs at least two rows at distinct times");
        }
        return r;
    }

    // ---- segments --------------------------------------------------------------------------------------------

    /** A span of time with constant rates. Components are the Poisson streams active in it. */
    private static final class Segment {
        final double start;
        final double end;
        final boolean afterShift;
        /** Chat's share of the base rate here (for the replay's compression). */
        double chatShare;
        double totalRate;
        double[] cumulativeRate;
        int[] componentClass;
        int[] componentBurst;

        /** The base arrival rate here, all classes together, before bursts. */
        final double rate;

        Segment(double start, double end, boolean afterShift, double rate) {
            this.start = start;
            this.end = end;
            this.afterShift = afterShift;
            this.rate = rate;
        }
    }

    private Segment[] segments(WorkloadSpec spec, double rate, double end, double shiftAt, boolean byPrompts) {
        TreeSet<Double> cuts = new TreeSet<>();
        cuts.add(0.0);
        if (!Double.isNaN(shiftAt)) {
            cuts.add(shiftAt);
        }
        for (Burst b : spec.bursts()) {
            cuts.add(b.startSeconds());
            cuts.add(b.endSeconds());
        }
        cuts.removeIf(t -> t >= end);
        List<Double> points = new ArrayList<>(cuts);
        points.add(end);
        boolean replay = spec.chat().mode() == ChatSource.Mode.REPLAY;
        Segment[] out = new Segment[points.size() - 1];
        for (int k = 0; k < out.length; k++) {
            double a = points.get(k);
            boolean after = !Double.isNaN(shiftAt) && a >= shiftAt;
            Segment s = new Segment(a, points.get(k + 1), after, after ? rate * shiftRateFactor() : rate);
            List<double[]> comps = new ArrayList<>();  // {rate, class, burst}
            for (ModelClass mc : CLASSES) {
                if (modelsOfClass[mc.ordinal()] == null) {
                    continue;
                }
                double share = after ? spec.shift().share(mc) : spec.share(mc);
                if (mc == ModelClass.CHAT) {
                    s.chatShare = share;
                }
                if (!(mc == ModelClass.CHAT && replay) && share > 0) {
                    comps.add(new double[] {s.rate * share, mc.ordinal(), -1});
                }
                for (int b = 0; b < spec.bursts().size(); b++) {
                    Burst burst = spec.bursts().get(b);
                    if (burst.classes().contains(mc) && burst.startSeconds() <= a && a < burst.endSeconds()
                            && share > 0 && burst.factor() > 1) {
                        comps.add(new double[] {(burst.factor() - 1) * s.rate * share, mc.ordinal(), b});
                    }
                }
            }
            s.cumulativeRate = new double[comps.size()];
            s.componentClass = new int[comps.size()];
            s.componentBurst = new int[comps.size()];
            double sum = 0;
            for (int j = 0; j < comps.size(); j++) {
                sum += comps.get(j)[0];
                s.cumulativeRate[j] = sum;
                s.componentClass[j] = (int) comps.get(j)[1];
                s.componentBurst[j] = (int) comps.get(j)[2];
            }
            s.totalRate = sum;
            out[k] = s;
        }
        if (byPrompts && !(out[out.length - 1].totalRate > 0)) {
            throw new IllegalStateException("scenario " + scenario.name() + " has no arrivals after "
                    + out[out.length - 1].start + " s, so its " + scenario.horizon().prompts()
                    + " prompts can never be generated");
        }
        return out;
    }

    // ---- Poisson classes -------------------------------------------------------------------------------------

    private Workload.Columns poisson(Segment[] segments, long target, double shiftAt, Users users, int[][] burstAps,
                                     SplittableRandom r, int[] clamped) {
        double expected = 0;
        for (Segment s : segments) {
            expected += Double.isInfinite(s.end) ? 0 : s.totalRate * (s.end - s.start);
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, target != Long.MAX_VALUE ? target : expected * 1.05 + 64);
        Workload.Columns cols = new Workload.Columns(capacity);
        double t = 0;
        int k = 0;
        while (k < segments.length && cols.size < target) {
            Segment s = segments[k];
            if (!(s.totalRate > 0)) {
                t = s.end;
                k++;
                continue;
            }
            double gap = -Math.log(1.0 - r.nextDouble()) / s.totalRate;
            if (t + gap >= s.end) {
                t = s.end;  // memoryless: start afresh at the segment's end with the next segment's rate
                k++;
                continue;
            }
            t += gap;
            double u = r.nextDouble() * s.totalRate;
            int j = 0;
            while (j < s.cumulativeRate.length - 1 && u >= s.cumulativeRate[j]) {
                j++;
            }
            int burst = s.componentBurst[j];
            int i = cols.append();
            cols.time[i] = t;
            int m = pickModel(s.componentClass[j], r);
            cols.model[i] = m;
            clamped[0] += samplers[m].sample(r, cols, i, payload);
            int user = r.nextInt(users.count);
            cols.user[i] = user;
            if (burst >= 0 && burstAps[burst].length > 0) {
                int[] at = burstAps[burst];
                cols.accessPoint[i] = at[r.nextInt(at.length)];
            } else {
                cols.accessPoint[i] = users.accessPoint(user, t >= shiftAt);
            }
            cols.origin[i] = (byte) (burst >= 0 ? Workload.Origin.BURST.ordinal() : Workload.Origin.POISSON.ordinal());
        }
        return cols;
    }

    private int pickModel(int classOrdinal, SplittableRandom r) {
        int[] ids = modelsOfClass[classOrdinal];
        if (ids.length == 1) {
            return ids[0];
        }
        double[] cum = cumulativeModelShare[classOrdinal];
        double u = r.nextDouble();
        int j = 0;
        while (j < cum.length - 1 && u >= cum[j]) {
            j++;
        }
        return ids[j];
    }

    // ---- chat replay -------------------------------------------------------------------------------------------

    private Workload.Columns replayChat(Segment[] segments, double rate, double end, double shiftAt, Users users,
                                        SplittableRandom r, boolean randomStart, int[] clamped) {
        double[] offsets = trace.offsetsArray();
        int[] context = trace.contextArray();
        int[] generated = trace.generatedArray();
        int n = offsets.length;
        double traceRate = traceRate();
        // One loop of the trace lasts its span plus one mean gap, so a looped replay keeps the mean rate.
        double period = trace.spanSeconds() + 1.0 / traceRate;
        int start = randomStart ? r.nextInt(n) : 0;
        double expected = 0;
        for (Segment s : segments) {
            expected += s.chatShare * s.rate * (s.end - s.start);
        }
        Workload.Columns cols = new Workload.Columns((int) Math.min(Integer.MAX_VALUE - 16, expected * 1.1 + 64));
        int chatClass = ModelClass.CHAT.ordinal();
        long k = 0;              // rows replayed so far
        double traceCursor = 0;  // trace seconds elapsed at the current segment's start
        for (Segment s : segments) {
            double c = s.chatShare * s.rate / traceRate;  // trace seconds per city second here
            double span = c * (s.end - s.start);
            while (true) {
                int row = (int) ((start + k) % n);
                long loops = (start + k) / n;
                double tau = offsets[row] - offsets[start] + loops * period;
                if (!(tau < traceCursor + span)) {
                    break;
                }
                double t = Math.max(s.start, s.start + (tau - traceCursor) / c);
                if (t >= s.end) {  // rounding at the boundary: the next segment takes it
                    break;
                }
                int i = cols.append();
                cols.time[i] = t;
                int m = pickModel(chatClass, r);
                cols.model[i] = m;
                clamped[0] += samplers[m].fromRow(context[row], generated[row], cols, i, payload);
                int user = r.nextInt(users.count);
                cols.user[i] = user;
                cols.accessPoint[i] = users.accessPoint(user, t >= shiftAt);
                cols.origin[i] = (byte) Workload.Origin.TRACE.ordinal();
                k++;
            }
            traceCursor += span;
        }
        return cols;
    }

    // ---- merge ---------------------------------------------------------------------------------------------------

    /** Both inputs sorted by time; ties keep {@code a} first. */
    private static Workload.Columns merge(Workload.Columns a, Workload.Columns b) {
        Workload.Columns out = new Workload.Columns(a.size + b.size);
        int i = 0;
        int j = 0;
        while (i < a.size || j < b.size) {
            if (j >= b.size || (i < a.size && a.time[i] <= b.time[j])) {
                out.copyFrom(a, i++);
            } else {
                out.copyFrom(b, j++);
            }
        }
        return out;
    }

    // ---- users -------------------------------------------------------------------------------------------------

    /** Each user's access point before and after the shift. */
    private static final class Users {
        final int count;
        final int[] before;
        final int[] after;

        Users(UserModel model, int accessPoints, double rotation, SplittableRandom r) {
            count = model.count();
            int[] ranking = new int[accessPoints];
            for (int a = 0; a < accessPoints; a++) {
                ranking[a] = a;
            }
            for (int a = accessPoints - 1; a > 0; a--) {  // Fisher-Yates: a seeded popularity ranking
                int b = r.nextInt(a + 1);
                int tmp = ranking[a];
                ranking[a] = ranking[b];
                ranking[b] = tmp;
            }
            double[] cum = new double[accessPoints];
            double sum = 0;
            for (int rank = 0; rank < accessPoints; rank++) {
                sum += 1.0 / Math.pow(rank + 1, model.accessPointZipf());
                cum[rank] = sum;
            }
            int shift = (int) Math.round(rotation * accessPoints) % accessPoints;
            before = new int[count];
            after = new int[count];
            for (int u = 0; u < count; u++) {
                double x = r.nextDouble() * sum;
                int rank = java.util.Arrays.binarySearch(cum, x);
                rank = rank >= 0 ? Math.min(rank + 1, accessPoints - 1) : -rank - 1;
                before[u] = ranking[rank];
                after[u] = ranking[(rank + shift) % accessPoints];
            }
        }

        int accessPoint(int user, boolean afterShift) {
            return afterShift ? after[user] : before[user];
        }
    }

    // ---- sizes -------------------------------------------------------------------------------------------------

    /** Draws one model's prompt sizes into a row of columns. */
    private static final class SizeSampler {
        private final ModelLimits limits;
        private final boolean chat;
        private final TraceReadResult trace;
        private final FieldSampler[] fields = new FieldSampler[SizeField.values().length];

        SizeSampler(ModelSpec model, ModelShare share, TraceReadResult trace) {
            this.limits = model.limits();
            this.chat = model.modelClass() == ModelClass.CHAT;
            this.trace = trace;
            for (var e : share.sizes().fields().entrySet()) {
                fields[e.getKey().ordinal()] = FieldSampler.of(e.getKey(), e.getValue(), trace);
            }
        }

        /** Draws into row {@code i}; returns how many values were clamped to the model's limits. */
        int sample(SplittableRandom r, Workload.Columns c, int i, Payload payload) {
            if (chat) {
                int row = r.nextInt(trace.rows());
                return fromRow(trace.contextArray()[row], trace.generatedArray()[row], c, i, payload);
            }
            int clamped = 0;
            double input = draw(SizeField.INPUT_TOKENS, r);
            double images = draw(SizeField.IMAGES, r);
            double imagePixels = draw(SizeField.IMAGE_PIXELS, r);
            double audio = draw(SizeField.AUDIO_SECONDS, r);
            double output = draw(SizeField.OUTPUT_TOKENS, r);
            double steps = draw(SizeField.STEPS, r);
            double outputPixels = draw(SizeField.OUTPUT_PIXELS, r);
            if (input > limits.maxInputTokens()) {
                input = limits.maxInputTokens();
                clamped++;
            }
            if (output > limits.maxOutputTokens()) {
                output = limits.maxOutputTokens();
                clamped++;
            }
            if (audio > limits.maxAudioSeconds()) {
                audio = limits.maxAudioSeconds();
                clamped++;
            }
            c.inputTokens[i] = (int) input;
            c.images[i] = (int) images;
            c.imagePixels[i] = (int) imagePixels;
            c.audioSeconds[i] = audio;
            c.outputTokens[i] = (int) output;
            c.steps[i] = (int) steps;
            c.outputPixels[i] = (int) outputPixels;
            c.inputBytes[i] = Math.round(input * payload.textBytesPerToken()
                    + images * imagePixels * payload.imageBytesPerPixel() + audio * payload.audioBytesPerSecond());
            return clamped;
        }

        /** A chat prompt with a trace row's token counts (clamped to the model's limits). */
        int fromRow(int context, int generated, Workload.Columns c, int i, Payload payload) {
            int clamped = 0;
            int input = context;
            int output = Math.max(1, generated);
            if (input > limits.maxInputTokens()) {
                input = limits.maxInputTokens();
                clamped++;
            }
            if (output > limits.maxOutputTokens()) {
                output = limits.maxOutputTokens();
                clamped++;
            }
            c.inputTokens[i] = input;
            c.images[i] = 0;
            c.imagePixels[i] = 0;
            c.audioSeconds[i] = 0;
            c.outputTokens[i] = output;
            c.steps[i] = 0;
            c.outputPixels[i] = 0;
            c.inputBytes[i] = Math.round(input * payload.textBytesPerToken());
            return clamped;
        }

        private double draw(SizeField f, SplittableRandom r) {
            FieldSampler s = fields[f.ordinal()];
            return s == null ? 0 : s.draw(r);
        }
    }

    /** A compiled {@link Distribution}: no allocation per draw. */
    private abstract static class FieldSampler {
        abstract double draw(SplittableRandom r);

        static FieldSampler of(SizeField field, Distribution d, TraceReadResult trace) {
            boolean integer = field.integer();
            if (d instanceof Distribution.Constant k) {
                double v = integer ? Math.round(k.value()) : k.value();
                return new FieldSampler() {
                    @Override
                    double draw(SplittableRandom r) {
                        return v;
                    }
                };
            }
            if (d instanceof Distribution.Uniform u) {
                double lo = u.low();
                double hi = u.high();
                // Whole numbers: each of ⌈low⌉…⌊high⌋ equally likely (rounding a continuous draw would give the
                // two ends half the weight of the others).
                double a = Math.ceil(lo);
                double b = Math.floor(hi);
                boolean whole = integer && a <= b;
                return new FieldSampler() {
                    @Override
                    double draw(SplittableRandom r) {
                        return whole ? Math.min(b, a + Math.floor(r.nextDouble() * (b - a + 1)))
                                : integer ? Math.round(lo + r.nextDouble() * (hi - lo)) : lo + r.nextDouble() * (hi - lo);
                    }
                };
            }
            if (d instanceof Distribution.LogNormal ln) {
                double mu = Math.log(ln.median());
                double sigma = ln.sigma();
                double min = ln.min();
                double max = ln.max();
                return new FieldSampler() {
                    @Override
                    double draw(SplittableRandom r) {
                        double v = Math.exp(mu + sigma * r.nextGaussian());
                        v = Math.max(min, Math.min(max, v));
                        return integer ? Math.max(Math.ceil(min), Math.min(Math.floor(max), Math.round(v))) : v;
                    }
                };
            }
            if (d instanceof Distribution.Choice ch) {
                int k = ch.values().size();
                double[] values = new double[k];
                double[] cum = new double[k];
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    values[j] = integer ? Math.round(ch.values().get(j)) : ch.values().get(j);
                    sum += ch.weights().get(j);
                    cum[j] = sum;
                }
                double total = sum;
                return new FieldSampler() {
                    @Override
                    double draw(SplittableRandom r) {
                        double u = r.nextDouble() * total;
                        int j = 0;
                        while (j < k - 1 && u >= cum[j]) {
                            j++;
                        }
                        return values[j];
                    }
                };
            }
            Distribution.FromTrace ft = (Distribution.FromTrace) d;
            int[] column = ft.column() == Distribution.TraceColumn.CONTEXT_TOKENS ? trace.contextArray()
                    : trace.generatedArray();
            double min = ft.min();
            double max = ft.max();
            return new FieldSampler() {
                @Override
                double draw(SplittableRandom r) {
                    return Math.max(min, Math.min(max, column[r.nextInt(column.length)]));
                }
            };
        }
    }
}
