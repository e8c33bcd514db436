package dev.edgeweave.connector.runtime;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.server.DeploymentView;
import dev.edgeweave.core.server.EmulatedServer;
import dev.edgeweave.core.server.Job;
import dev.edgeweave.core.server.ServerListener;
import dev.edgeweave.core.sim.EventScheduler;
import dev.edgeweave.v1.InlineContent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The emulated runtime: {@code core}'s {@link EmulatedServer}, unchanged, on the connector's scheduler
 * (DESIGN.md, "The emulated GPU server"). On the live city clock its service and load times are actually
 * waited, so a prompt's measured breakdown is what the server emulated.
 *
 * <p>Its output is a small JSON note of what an engine would have produced (the model and the output size),
 * under the media type {@value #MEDIA_TYPE}: never the prompt's content, never something pretending to be a
 * real image or sound.
 */
public final class EmulatedRuntime implements ModelRuntime {

    /** The media type of the emulated outputs. */
    public static final String MEDIA_TYPE = "application/vnd.edgeweave.emulated+json";

    private final EmulatedServer server;
    private final EventScheduler scheduler;
    private final double[] busyAtLastCall;
    private final double[] timeAtLastCall;
    private Listener listener;
    private long nextJobId;
    private boolean closed;

    /**
     * @param spec      the server: its GPUs and storage
     * @param scheduler the connector's scheduler on the city clock (its callbacks run there)
     * @param listener  where ready, unloaded and finished work are reported
     */
    public EmulatedRuntime(EdgeServer spec, EventScheduler scheduler, Listener listener) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.server = new EmulatedServer(0, spec, scheduler, new ServerListener() {
            @Override
            public void onCompleted(EmulatedServer s, Job job, double queueSeconds, double loadWaitSeconds,
                                    double serviceSeconds, double now) {
                if (!closed) {
                    Work w = (Work) job.tag();
                    EmulatedRuntime.this.listener.finished(w, new Outcome.Completed(output(w), queueSeconds,
                            loadWaitSeconds, serviceSeconds));
                }
            }

            @Override
            public void onReady(EmulatedServer s, String modelId, double now) {
                if (!closed) {
                    EmulatedRuntime.this.listener.ready(modelId);
                }
            }

            @Override
            public void onUnloaded(EmulatedServer s, String modelId, double now) {
                if (!closed) {
                    EmulatedRuntime.this.listener.unloaded(modelId);
                }
            }
        });
        int gpus = spec.gpus().size();
        this.busyAtLastCall = new double[gpus];
        this.timeAtLastCall = new double[gpus];
        java.util.Arrays.fill(timeAtLastCall, scheduler.now());
    }

    @Override
    public String kind() {
        return "emulated";
    }

    @Override
    public void load(ModelSpec model, int gpuIndex, int concurrency, double shareWeight) {
        server.load(model, gpuIndex, concurrency, shareWeight);
    }

    @Override
    public void unload(String modelId) {
        // A cancelled load hands back the work that waited for it: it ends NOT_DEPLOYED, for the scheduler to
        // place elsewhere.
        for (Job j : server.unload(modelId)) {
            listener.finished((Work) j.tag(), new Outcome.Failed(dev.edgeweave.v1.ReasonCode.NOT_DEPLOYED,
                    modelId + " was unloaded before it finished loading", true));
        }
    }

    @Override
    public void resize(String modelId, int concurrency, double shareWeight) {
        server.resize(modelId, concurrency, shareWeight);
    }

    @Override
    public boolean submit(Work work) {
        return server.submit(new Job(nextJobId++, work.model(), work.size(), work.receivedAt(), work));
    }

    @Override
    public List<DeploymentInfo> deployments() {
        List<DeploymentInfo> out = new ArrayList<>();
        for (DeploymentView d : server.deployments()) {
            DeploymentInfo.Status status = switch (d.status()) {
                case LOADING -> DeploymentInfo.Status.LOADING;
                case READY -> DeploymentInfo.Status.READY;
                case DRAINING -> DeploymentInfo.Status.DRAINING;
            };
            out.add(new DeploymentInfo(d.modelId(), d.gpuIndex(), status, d.readyAt(), d.concurrency(), d.queued(),
                    d.running(), d.meanServiceSeconds(), d.memoryBytes(), d.shareWeight()));
        }
        return out;
    }

    @Override
    public long memoryUsedBytes(int gpuIndex) {
        return server.memoryUsedBytes(gpuIndex);
    }

    @Override
    public double utilisationSinceLastCall(int gpuIndex) {
        double now = scheduler.now();
        double busy = server.busySeconds(gpuIndex);
        double elapsed = now - timeAtLastCall[gpuIndex];
        double u = elapsed > 0 ? (busy - busyAtLastCall[gpuIndex]) / elapsed : 0;
        busyAtLastCall[gpuIndex] = busy;
        timeAtLastCall[gpuIndex] = now;
        return Math.max(0, Math.min(1, u));
    }

    /** Jobs queued or running. */
    public int inFlight() {
        return server.inFlight();
    }

    @Override
    public void close() {
        closed = true;
        server.fail();
    }

    private static InlineContent output(Work w) {
        String json = String.format(Locale.ROOT, "{\"emulated\":true,\"model\":\"%s\",\"outputTokens\":%d,"
                + "\"steps\":%d,\"outputPixels\":%d}", w.model().id(), w.size().outputTokens(), w.size().steps(),
                w.size().outputPixels());
        return InlineContent.newBuilder().setMediaType(MEDIA_TYPE)
                .setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))).build();
    }
}
