package dev.edgeweave.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * One observation of the city, as the planner's windows see it: a prompt's arrival, an attempt's result, a
 * prompt's end, a server's state, a link's measurement. Numbers and ids only, never prompt content. A Flink POJO
 * (public fields, a public no-argument constructor), so it travels between operators without Kryo.
 */
public class CityEvent {

    /** What the event is. */
    public enum Kind { ARRIVAL, RESULT, COMPLETION, REJECTION, NODE_STATE, LINK }

    public Kind kind;
    /** Event time: city clock, epoch milliseconds. */
    public long time;
    /** Prompt id (ARRIVAL, RESULT, COMPLETION, REJECTION); the join of arrivals and ends keys on it. */
    public String promptId;
    public String modelId;
    /** The model's class, as the Avro enum's name. */
    public String modelClass;
    public String nodeId;
    public String accessPointId;
    /** COMPLETION and REJECTION: end-to-end seconds (a rejection counts as its SLO). */
    public double latencySeconds;
    /** ARRIVAL: inference alone on the reference GPU, seconds; COMPLETION: inference as measured. */
    public double inferenceSeconds;
    /** COMPLETION and REJECTION, once joined with the arrival: latency / reference inference. */
    public double slowdown;
    public double sloSeconds;
    /** RESULT: the attempt completed (else failed or handed back). */
    public boolean ok;
    /** ARRIVAL: the prompt's sizes (for demand): input tokens, images, image pixels, output tokens, steps, output pixels, input bytes. */
    public long[] sizes;
    public double audioSeconds;
    /** NODE_STATE: prompts queued and running over its deployments; GPU utilisation and memory held (shares). */
    public int queued;
    public int running;
    public double utilisation;
    public double memoryUtilisation;
    public boolean draining;
    public String siteId;
    public double storageBytesPerSecond;
    /** NODE_STATE: GPU type ids, by GPU index. */
    public List<String> gpuTypes = new ArrayList<>();
    /** NODE_STATE: deployments held (loading or ready), as {@code modelId@gpu:slots:weight}. */
    public List<String> holdings = new ArrayList<>();
    /** LINK: round-trip milliseconds. */
    public double rttMillis;

    public CityEvent() {
    }

    /** ARRIVAL: the prompt's sizes. */
    public dev.edgeweave.core.model.PromptSize size() {
        return new dev.edgeweave.core.model.PromptSize((int) sizes[0], (int) sizes[1], sizes[2], audioSeconds,
                (int) sizes[3], (int) sizes[4], sizes[5], sizes[6]);
    }

    static CityEvent of(Kind kind, long time) {
        CityEvent e = new CityEvent();
        e.kind = kind;
        e.time = time;
        return e;
    }

    @Override
    public String toString() {
        return kind + "@" + time + (promptId != null ? " " + promptId : "") + (nodeId != null ? " " + nodeId : "");
    }
}
