package dev.edgeweave.core.server;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.sim.EventScheduler;
import dev.edgeweave.core.sim.EventScheduler.Scheduled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One edge server's GPUs and the models deployed on them, emulated on an injected {@link EventScheduler}
 * (DESIGN "The emulated GPU server"): the testbed runs it in simulated city time, the node connector on the
 * lab's city clock. It reads no wall clock and no topic; it tells its owner what happens through a
 * {@link ServerListener}.
 *
 * <p><b>Deployments.</b> A deployment is one model on one GPU, with {@code concurrency} batch slots, a share
 * weight, and a FIFO queue. Loading holds the model's memory from the start and takes
 * {@link LatencyLaws#loadSeconds} of city time; jobs accepted meanwhile wait for it. Unloading drains: no new
 * jobs, the queued and running ones finish, then the memory is free. One deployment per model per server.
 *
 * <p><b>Service: processor sharing with batching, exact.</b> A job's work is its batch-1 time alone on the
 * GPU, {@link LatencyLaws#inferenceSeconds}. On one GPU the <i>active</i> deployments (those running at least
 * one job) split its throughput in proportion to their share weights; inside a deployment running {@code n}
 * jobs each progresses at {@code share / LatencyLaws.perPromptSlowdown(model, n)} work-seconds per second,
 * so n jobs together gain the law's aggregate batching speed-up. Rates only change when a GPU's running set
 * does (a start, a completion, a resize), so instead of stepping time the server brings every running job's
 * remaining work up to date at the old rates whenever that happens, recomputes the rates, and keeps one
 * completion event per GPU at the earliest finish. That is exact (up to floating point: a job with at most
 * {@link #DONE_EPSILON} s of work left is done) and costs O(jobs on the GPU) per change, a few dozen at most.
 * GPUs of one server do not slow each other.
 *
 * <p><b>Failure.</b> {@link #fail()} takes the server down at once: every queued and running job comes back
 * to the caller (no completion callback), every deployment and load is lost; {@link #recover()} brings it
 * back up empty.
 *
 * <p><b>Cost.</b> The getters a router calls per prompt per candidate ({@link #deployment}, the
 * {@link DeploymentView} getters, {@link #inFlight()}, the memory figures, {@link #fits}) allocate nothing.
 * A submitted job costs one small object; each start or completion one scheduler event.
 *
 * <p>Not thread-safe: confine a server to its scheduler's thread. Listener callbacks run after the server's
 * state is consistent, so a listener may call back into it.
 */
public final class EmulatedServer {

    /** Work (batch-1 seconds) left at or below which a job counts as done, absorbing floating-point residue. */
    public static final double DONE_EPSILON = 1e-9;

    /** Weight of the newest completed job in {@link DeploymentView#meanServiceSeconds()}. */
    public static final double SERVICE_EWMA_ALPHA = 0.2;

    private static final byte STARTED = 1;
    private static final byte COMPLETED = 2;
    private static final byte READY = 3;
    private static final byte UNLOADED = 4;

    private final int serverIndex;
    private final EdgeServer spec;
    private final EventScheduler scheduler;
    private final ServerListener listener;
    private final Gpu[] gpus;
    private final long totalMemoryBytes;
    /** Insertion-ordered, so iteration (fail's job list, the deployments view) is deterministic. */
    private final Map<String, Deployment> byModel = new LinkedHashMap<>();
    private final Collection<DeploymentView> deploymentsView = Collections.unmodifiableCollection(byModel.values());
    private boolean up = true;
    private int inFlight;

    // Callbacks waiting for the state to be consistent: an intrusive chain, so no allocation per callback.
    private Notice noticeHead;
    private Notice noticeTail;

    public EmulatedServer(int serverIndex, EdgeServer spec, EventScheduler scheduler, ServerListener listener) {
        this.serverIndex = serverIndex;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener (use ServerListener.NONE for none)");
        List<GpuType> types = spec.gpus();
        this.gpus = new Gpu[types.size()];
        double now = scheduler.now();
        for (int i = 0; i < gpus.length; i++) {
            gpus[i] = new Gpu(i, types.get(i), now);
        }
        this.totalMemoryBytes = spec.totalMemoryBytes();
    }

    // ---- deployments -------------------------------------------------------------------------------------

    /** Whether the server is up and GPU {@code gpuIndex} has at least {@code model.memoryBytes()} free. */
    public boolean fits(ModelSpec model, int gpuIndex) {
        return up && model.memoryBytes() <= freeMemoryBytes(gpuIndex);
    }

    /**
     * The GPU {@code model} fits on with the least memory to spare (best fit, lowest index on a tie), keeping
     * large holes for large models; -1 when it fits on none or the server is down.
     */
    public int bestFitGpu(ModelSpec model) {
        if (!up) {
            return -1;
        }
        int best = -1;
        long bestSpare = Long.MAX_VALUE;
        for (Gpu g : gpus) {
            long spare = g.type.memoryBytes() - g.memoryUsed - model.memoryBytes();
            if (spare >= 0 && spare < bestSpare) {
                best = g.index;
                bestSpare = spare;
            }
        }
        return best;
    }

    /** {@link #load(ModelSpec, int, int, double)} with share weight 1. */
    public DeploymentView load(ModelSpec model, int gpuIndex, int concurrency) {
        return load(model, gpuIndex, concurrency, 1.0);
    }

    /**
     * Starts loading {@code model} on GPU {@code gpuIndex}: its memory is held from now, it is LOADING, and
     * after {@link LatencyLaws#loadSeconds} (weights from this server's storage, then engine start) it is
     * READY, {@link ServerListener#onReady} fires and the jobs that arrived meanwhile start.
     *
     * @return the new deployment's live view
     * @throws IllegalArgumentException on a bad GPU index, concurrency &lt; 1, or a share weight that is not
     *                                  finite and &gt; 0
     * @throws IllegalStateException    when the server is down, the model is already deployed here (in any
     *                                  state, DRAINING included), or the GPU lacks the free memory
     */
    public DeploymentView load(ModelSpec model, int gpuIndex, int concurrency, double shareWeight) {
        Objects.requireNonNull(model, "model");
        Gpu g = gpu(gpuIndex);
        requireSlots(concurrency, model.id());
        requireWeight(shareWeight, model.id());
        if (!up) {
            throw new IllegalStateException("server " + spec.id() + " is down: cannot load " + model.id());
        }
        Deployment existing = byModel.get(model.id());
        if (existing != null) {
            throw new IllegalStateException("model " + model.id() + " is already deployed on server " + spec.id()
                    + " (GPU " + existing.gpu.index + ", " + existing.status + ")");
        }
        long free = g.type.memoryBytes() - g.memoryUsed;
        if (model.memoryBytes() > free) {
            throw new IllegalStateException("model " + model.id() + " needs " + model.memoryBytes()
                    + " B but GPU " + gpuIndex + " (" + g.type.id() + ") of server " + spec.id() + " has " + free
                    + " B free");
        }
        double now = scheduler.now();
        double loadSeconds = LatencyLaws.loadSeconds(model, spec.storageBytesPerSecond());
        Deployment d = new Deployment(model, g, concurrency, shareWeight, now + loadSeconds, now);
        g.memoryUsed += model.memoryBytes();
        g.deployments.add(d);
        byModel.put(model.id(), d);
        d.loadEvent = scheduler.schedule(loadSeconds, () -> onLoaded(d));
        return d;
    }

    /**
     * Unloads {@code modelId}. A READY deployment drains: it refuses new jobs, finishes its queued and running
     * ones, then frees its memory and {@link ServerListener#onUnloaded} fires (at once when it holds none).
     * A LOADING deployment is cancelled at once: memory free, {@code onUnloaded} fires, and the jobs that were
     * waiting for it are returned for the caller to place elsewhere (they get no callback). Unloading a
     * DRAINING deployment again does nothing.
     *
     * @return the jobs handed back: empty unless a load with waiting jobs was cancelled
     * @throws IllegalStateException when the model is not deployed here
     */
    public List<Job> unload(String modelId) {
        Deployment d = require(modelId);
        switch (d.status) {
            case DRAINING:
                return List.of();
            case LOADING: {
                d.loadEvent.cancel();
                d.loadEvent = null;
                List<Job> handedBack = new ArrayList<>(d.queue.size());
                for (Task t : d.queue) {
                    t.aborted = true;
                    handedBack.add(t.job);
                }
                inFlight -= d.queue.size();
                d.queue.clear();
                remove(d);
                dispatch();
                return handedBack;
            }
            default:
                d.status = DeploymentStatus.DRAINING;
                if (d.idle()) {
                    remove(d);
                    dispatch();
                }
                return List.of();
        }
    }

    /**
     * Changes a deployment's batch slots and share weight, in any state. More slots start queued jobs at
     * once; fewer never preempt (running jobs finish, new ones wait until a slot is free). The new weight
     * applies from now.
     *
     * @throws IllegalStateException    when the model is not deployed here
     * @throws IllegalArgumentException on concurrency &lt; 1 or a weight that is not finite and &gt; 0
     */
    public void resize(String modelId, int concurrency, double shareWeight) {
        Deployment d = require(modelId);
        requireSlots(concurrency, modelId);
        requireWeight(shareWeight, modelId);
        double now = scheduler.now();
        Gpu g = d.gpu;
        advance(g, now);
        d.concurrency = concurrency;
        d.shareWeight = shareWeight;
        startQueued(d, now);
        reschedule(g, now);
        dispatch();
    }

    // ---- jobs --------------------------------------------------------------------------------------------

    /**
     * Offers {@code job} to the deployment of {@code job.model().id()}. Accepted when the server is up and the
     * deployment is LOADING or READY: the job then waits FIFO for a slot (and for the load), and
     * {@link ServerListener#onStarted} fires when it starts (within this call when a slot is free now).
     *
     * @return false when refused (server down, model not deployed, or draining): the caller places it elsewhere
     */
    public boolean submit(Job job) {
        Objects.requireNonNull(job, "job");
        if (!up) {
            return false;
        }
        Deployment d = byModel.get(job.model().id());
        if (d == null || d.status == DeploymentStatus.DRAINING) {
            return false;
        }
        double now = scheduler.now();
        Task t = new Task(job, d, now, LatencyLaws.inferenceSeconds(d.model, d.gpu.type, job.size()));
        if (!d.seeded) {
            d.meanServiceSeconds = t.work;
            d.seeded = true;
        }
        d.lastUsedAt = now;
        inFlight++;
        if (d.status == DeploymentStatus.READY && d.nRunning < d.concurrency && d.queue.isEmpty()) {
            Gpu g = d.gpu;
            advance(g, now);
            start(t, now);
            reschedule(g, now);
            dispatch();
        } else {
            d.queue.addLast(t);
        }
        return true;
    }

    /**
     * Takes the server down now. Every queued and running job is aborted and returned (per deployment in
     * load order: running ones in start order, then queued ones in FIFO order), with no completion callback;
     * every deployment and load is lost and its memory freed, without {@code onUnloaded}. Pending events are
     * cancelled. A server already down returns an empty list.
     */
    public List<Job> fail() {
        if (!up) {
            return List.of();
        }
        double now = scheduler.now();
        up = false;
        List<Job> aborted = new ArrayList<>(inFlight);
        for (Deployment d : byModel.values()) {
            for (int i = 0; i < d.nRunning; i++) {
                Task t = d.running[i];
                t.aborted = true;
                aborted.add(t.job);
                d.running[i] = null;
            }
            d.nRunning = 0;
            for (Task t : d.queue) {
                t.aborted = true;
                aborted.add(t.job);
            }
            d.queue.clear();
            if (d.loadEvent != null) {
                d.loadEvent.cancel();
                d.loadEvent = null;
            }
            d.removed = true;
        }
        byModel.clear();
        for (Gpu g : gpus) {
            if (g.completion != null) {
                g.completion.cancel();
                g.completion = null;
            }
            if (g.running > 0) {
                g.busyAccumulated += now - g.busySince;
            }
            g.running = 0;
            g.deployments.clear();
            g.memoryUsed = 0;
            g.lastAdvance = now;
        }
        inFlight = 0;
        return aborted;
    }

    /** Brings a failed server back up, with no deployments. No effect on a server that is up. */
    public void recover() {
        if (up) {
            return;
        }
        up = true;
        double now = scheduler.now();
        for (Gpu g : gpus) {
            g.lastAdvance = now;
        }
    }

    // ---- views (allocation-free) -------------------------------------------------------------------------

    public boolean up() {
        return up;
    }

    public int serverIndex() {
        return serverIndex;
    }

    public EdgeServer spec() {
        return spec;
    }

    public int gpuCount() {
        return gpus.length;
    }

    /** The deployment of {@code modelId} (LOADING, READY or DRAINING), or null when there is none. */
    public DeploymentView deployment(String modelId) {
        return byModel.get(modelId);
    }

    /** Live, unmodifiable view of the deployments, in load order. */
    public Collection<DeploymentView> deployments() {
        return deploymentsView;
    }

    /** Jobs queued or running over all deployments. */
    public int inFlight() {
        return inFlight;
    }

    /** Jobs running on GPU {@code gpuIndex} now. */
    public int runningOn(int gpuIndex) {
        return gpu(gpuIndex).running;
    }

    public long memoryBytes(int gpuIndex) {
        return gpu(gpuIndex).type.memoryBytes();
    }

    /** Memory held by deployments on GPU {@code gpuIndex}, loading ones included. */
    public long memoryUsedBytes(int gpuIndex) {
        return gpu(gpuIndex).memoryUsed;
    }

    public long freeMemoryBytes(int gpuIndex) {
        Gpu g = gpu(gpuIndex);
        return g.type.memoryBytes() - g.memoryUsed;
    }

    /** Memory held over memory present, all GPUs together, in [0, 1]. */
    public double memoryUtilisation() {
        long used = 0;
        for (Gpu g : gpus) {
            used += g.memoryUsed;
        }
        return (double) used / totalMemoryBytes;
    }

    /**
     * Cumulative city seconds GPU {@code gpuIndex} has had at least one running job, up to now. Utilisation
     * over a window is the difference of two readings over the window's length.
     */
    public double busySeconds(int gpuIndex) {
        Gpu g = gpu(gpuIndex);
        return g.running > 0 ? g.busyAccumulated + (scheduler.now() - g.busySince) : g.busyAccumulated;
    }

    @Override
    public String toString() {
        return "EmulatedServer[" + serverIndex + " " + spec.id() + (up ? "" : " DOWN") + ", deployments "
                + byModel.keySet() + ", inFlight " + inFlight + "]";
    }

    // ---- the engine --------------------------------------------------------------------------------------

    private void onLoaded(Deployment d) {
        if (d.removed || !up) {
            return; // cancelled; kept as a guard for schedulers whose cancel can race the event
        }
        double now = scheduler.now();
        d.loadEvent = null;
        d.status = DeploymentStatus.READY;
        d.readyAt = now;
        notice(d, READY);
        Gpu g = d.gpu;
        advance(g, now);
        startQueued(d, now);
        reschedule(g, now);
        dispatch();
    }

    /** The GPU's completion event: finish what is done, start what can start, free drained deployments. */
    private void onCompletionEvent(Gpu g) {
        g.completion = null;
        g.completionAt = Double.NaN;
        if (!up) {
            return;
        }
        double now = scheduler.now();
        advance(g, now);
        List<Deployment> ds = g.deployments;
        int finished = 0;
        for (int k = 0; k < ds.size(); k++) {
            Deployment d = ds.get(k);
            if (d.nRunning == 0) {
                continue;
            }
            int kept = 0;
            for (int i = 0; i < d.nRunning; i++) {
                Task t = d.running[i];
                // The second test catches a remainder so small that it would not move the clock at all.
                if (t.remaining <= DONE_EPSILON || now + t.remaining / d.rate <= now) {
                    finish(t, now);
                } else {
                    d.running[kept++] = t;
                }
            }
            int done = d.nRunning - kept;
            for (int i = kept; i < d.nRunning; i++) {
                d.running[i] = null;
            }
            d.nRunning = kept;
            finished += done;
        }
        inFlight -= finished;
        changeRunning(g, -finished, now);
        for (int k = 0; k < ds.size(); k++) {
            startQueued(ds.get(k), now);
        }
        for (int k = 0; k < ds.size(); k++) {
            Deployment d = ds.get(k);
            if (d.status == DeploymentStatus.DRAINING && d.idle()) {
                remove(d);
                k--;
            }
        }
        reschedule(g, now);
        dispatch();
    }

    /** Brings every running job on {@code g} to {@code now} at the rates in force since the last change. */
    private static void advance(Gpu g, double now) {
        double dt = now - g.lastAdvance;
        if (!(dt > 0)) {
            return; // never backwards
        }
        if (g.running > 0) {
            List<Deployment> ds = g.deployments;
            for (int k = 0; k < ds.size(); k++) {
                Deployment d = ds.get(k);
                double progress = d.rate * dt;
                for (int i = 0; i < d.nRunning; i++) {
                    d.running[i].remaining -= progress;
                }
            }
        }
        g.lastAdvance = now;
    }

    /** Recomputes the rates on {@code g} and keeps its one completion event at the earliest finish. */
    private void reschedule(Gpu g, double now) {
        double soonest = Double.POSITIVE_INFINITY;
        if (g.running > 0) {
            List<Deployment> ds = g.deployments;
            double totalWeight = 0;
            for (int k = 0; k < ds.size(); k++) {
                Deployment d = ds.get(k);
                if (d.nRunning > 0) {
                    totalWeight += d.shareWeight;
                }
            }
            for (int k = 0; k < ds.size(); k++) {
                Deployment d = ds.get(k);
                if (d.nRunning == 0) {
                    continue;
                }
                d.rate = d.shareWeight / totalWeight / LatencyLaws.perPromptSlowdown(d.model, d.nRunning);
                double least = Double.POSITIVE_INFINITY;
                for (int i = 0; i < d.nRunning; i++) {
                    least = Math.min(least, d.running[i].remaining);
                }
                soonest = Math.min(soonest, Math.max(0.0, least) / d.rate);
            }
        }
        double at = now + soonest;
        if (g.completion != null) {
            if (at == g.completionAt) {
                return; // same instant: keep the event rather than churn the scheduler's heap
            }
            g.completion.cancel();
            g.completion = null;
            g.completionAt = Double.NaN;
        }
        if (soonest != Double.POSITIVE_INFINITY) {
            g.completion = scheduler.schedule(soonest, g);
            g.completionAt = at;
        }
    }

    /** Starts queued jobs while slots are free (not while loading). The caller advanced the GPU first. */
    private void startQueued(Deployment d, double now) {
        while (d.status != DeploymentStatus.LOADING && d.nRunning < d.concurrency && !d.queue.isEmpty()) {
            start(d.queue.pollFirst(), now);
        }
    }

    private void start(Task t, double now) {
        Deployment d = t.deployment;
        t.startedAt = now;
        t.remaining = t.work;
        t.loadWaitSeconds = Math.max(0.0, d.readyAt - t.submittedAt);
        t.queueSeconds = Math.max(0.0, now - t.submittedAt - t.loadWaitSeconds);
        if (d.nRunning == d.running.length) {
            d.running = Arrays.copyOf(d.running, d.running.length * 2);
        }
        d.running[d.nRunning++] = t;
        changeRunning(d.gpu, 1, now);
        notice(t, STARTED);
    }

    private void finish(Task t, double now) {
        Deployment d = t.deployment;
        t.serviceSeconds = now - t.startedAt;
        d.meanServiceSeconds = d.completed == 0
                ? t.serviceSeconds
                : d.meanServiceSeconds + SERVICE_EWMA_ALPHA * (t.serviceSeconds - d.meanServiceSeconds);
        d.completed++;
        d.lastUsedAt = now;
        notice(t, COMPLETED);
    }

    private static void changeRunning(Gpu g, int delta, double now) {
        int before = g.running;
        g.running = before + delta;
        if (before == 0 && g.running > 0) {
            g.busySince = now;
        } else if (before > 0 && g.running == 0) {
            g.busyAccumulated += now - g.busySince;
        }
    }

    private void remove(Deployment d) {
        d.removed = true;
        byModel.remove(d.model.id());
        d.gpu.deployments.remove(d);
        d.gpu.memoryUsed -= d.model.memoryBytes();
        notice(d, UNLOADED);
    }

    // ---- callbacks ---------------------------------------------------------------------------------------

    private void notice(Notice n, byte kind) {
        n.kind = kind;
        n.nextNotice = null;
        if (noticeTail == null) {
            noticeHead = n;
        } else {
            noticeTail.nextNotice = n;
        }
        noticeTail = n;
    }

    /**
     * Delivers the pending callbacks. The chain is detached first, so a listener that calls back into the
     * server builds and delivers its own. A node is never re-noticed while still waiting here: a task starts
     * only from a queue and finishes only in a completion event, and a removed deployment is never re-added.
     */
    private void dispatch() {
        Notice n = noticeHead;
        noticeHead = null;
        noticeTail = null;
        if (n == null) {
            return;
        }
        double now = scheduler.now();
        while (n != null) {
            Notice next = n.nextNotice;
            n.nextNotice = null;
            switch (n.kind) {
                case STARTED -> {
                    Task t = (Task) n;
                    if (!t.aborted) { // a listener may have failed the server meanwhile
                        listener.onStarted(this, t.job, now);
                    }
                }
                case COMPLETED -> {
                    Task t = (Task) n;
                    listener.onCompleted(this, t.job, t.queueSeconds, t.loadWaitSeconds, t.serviceSeconds, now);
                }
                case READY -> {
                    Deployment d = (Deployment) n;
                    if (!d.removed) {
                        listener.onReady(this, d.model.id(), now);
                    }
                }
                case UNLOADED -> listener.onUnloaded(this, ((Deployment) n).model.id(), now);
                default -> throw new IllegalStateException("unknown notice kind " + n.kind);
            }
            n = next;
        }
    }

    // ---- argument checks ---------------------------------------------------------------------------------

    private Gpu gpu(int index) {
        if (index < 0 || index >= gpus.length) {
            throw new IllegalArgumentException("server " + spec.id() + " has GPUs 0.." + (gpus.length - 1)
                    + ", not " + index);
        }
        return gpus[index];
    }

    private Deployment require(String modelId) {
        Deployment d = byModel.get(modelId);
        if (d == null) {
            throw new IllegalStateException("model " + modelId + " is not deployed on server " + spec.id()
                    + (up ? "" : " (server is down)"));
        }
        return d;
    }

    private static void requireSlots(int concurrency, String modelId) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(modelId + ": concurrency must be >= 1, was " + concurrency);
        }
    }

    private static void requireWeight(double shareWeight, String modelId) {
        if (!(shareWeight > 0) || Double.isInfinite(shareWeight)) {
            throw new IllegalArgumentException(modelId + ": share weight must be finite and > 0, was " + shareWeight);
        }
    }

    // ---- state -------------------------------------------------------------------------------------------

    /** Something a listener must hear about, chained without allocation. */
    private abstract static class Notice {
        Notice nextNotice;
        byte kind;
    }

    /** A submitted job and its progress. Work and remaining are in batch-1 seconds on the deployment's GPU. */
    private static final class Task extends Notice {
        final Job job;
        final Deployment deployment;
        final double submittedAt;
        final double work;
        double remaining;
        double startedAt = Double.NaN;
        double queueSeconds;
        double loadWaitSeconds;
        double serviceSeconds;
        boolean aborted;

        Task(Job job, Deployment deployment, double submittedAt, double work) {
            this.job = job;
            this.deployment = deployment;
            this.submittedAt = submittedAt;
            this.work = work;
        }
    }

    /** One GPU; it is also its own completion-event action, so rescheduling allocates only the event. */
    private final class Gpu implements Runnable {
        final int index;
        final GpuType type;
        final List<Deployment> deployments = new ArrayList<>(4);
        long memoryUsed;
        int running;
        double lastAdvance;
        Scheduled completion;
        double completionAt = Double.NaN;
        double busyAccumulated;
        double busySince;

        Gpu(int index, GpuType type, double now) {
            this.index = index;
            this.type = type;
            this.lastAdvance = now;
        }

        @Override
        public void run() {
            onCompletionEvent(this);
        }
    }

    private static final class Deployment extends Notice implements DeploymentView {
        final ModelSpec model;
        final Gpu gpu;
        int concurrency;
        double shareWeight;
        DeploymentStatus status = DeploymentStatus.LOADING;
        double readyAt;
        final ArrayDeque<Task> queue = new ArrayDeque<>();
        Task[] running;
        int nRunning;
        /** Work-seconds per second each running job gets, valid while nRunning > 0. */
        double rate;
        double meanServiceSeconds;
        boolean seeded;
        long completed;
        double lastUsedAt;
        Scheduled loadEvent;
        boolean removed;

        Deployment(ModelSpec model, Gpu gpu, int concurrency, double shareWeight, double readyAt, double now) {
            this.model = model;
            this.gpu = gpu;
            this.concurrency = concurrency;
            this.shareWeight = shareWeight;
            this.readyAt = readyAt;
            this.lastUsedAt = now;
            this.running = new Task[Math.min(Math.max(concurrency, 1), 64)];
        }

        boolean idle() {
            return nRunning == 0 && queue.isEmpty();
        }

        @Override
        public ModelSpec model() {
            return model;
        }

        @Override
        public DeploymentStatus status() {
            return status;
        }

        @Override
        public double readyAt() {
            return readyAt;
        }

        @Override
        public int gpuIndex() {
            return gpu.index;
        }

        @Override
        public int queued() {
            return queue.size();
        }

        @Override
        public int running() {
            return nRunning;
        }

        @Override
        public int concurrency() {
            return concurrency;
        }

        @Override
        public double shareWeight() {
            return shareWeight;
        }

        @Override
        public double meanServiceSeconds() {
            return meanServiceSeconds;
        }

        @Override
        public long completed() {
            return completed;
        }

        @Override
        public double lastUsedAt() {
            return lastUsedAt;
        }

        @Override
        public long memoryBytes() {
            return model.memoryBytes();
        }

        @Override
        public boolean removed() {
            return removed;
        }

        @Override
        public String toString() {
            return "Deployment[" + model.id() + " on GPU " + gpu.index + ", " + status + ", running " + nRunning
                    + "/" + concurrency + ", queued " + queue.size() + "]";
        }
    }
}
