package dev.edgeweave.planner;

import dev.edgeweave.agents.AgentsConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * What the job's windows and agents run with (from {@link PlannerConfig}; tests build it directly).
 *
 * @param shortWindow      tumbling window of the short-term agent (default 10 s of city time)
 * @param longWindow       sliding window of the long-term agent (default 5 min)
 * @param longSlide        how often the long window fires (default 1 min)
 * @param outOfOrderness   watermark bound: how late an event may be and still count in its window
 * @param idleness         a source partition quiet for this long stops holding the watermark back
 * @param agentTimeout     wall time an agent may take before the optimizer's decision replaces its answer
 * @param heartbeatTimeout a server whose last state is older than this at a window's end is down
 * @param churnLimit       commands per server per plan
 * @param agents           which brain each agent runs (optimizer or LLM), and the model server
 */
public record PlannerSettings(Duration shortWindow, Duration longWindow, Duration longSlide, Duration outOfOrderness,
                              Duration idleness, Duration agentTimeout, Duration heartbeatTimeout, int churnLimit,
                              AgentsConfig agents)
        implements Serializable {

    public static final PlannerSettings DEFAULTS = new PlannerSettings(Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(3), 1, AgentsConfig.OPTIMIZERS);

    /** Settings with optimizer brains. */
    public PlannerSettings(Duration shortWindow, Duration longWindow, Duration longSlide, Duration outOfOrderness,
                           Duration idleness, Duration agentTimeout, Duration heartbeatTimeout, int churnLimit) {
        this(shortWindow, longWindow, longSlide, outOfOrderness, idleness, agentTimeout, heartbeatTimeout, churnLimit,
                AgentsConfig.OPTIMIZERS);
    }

    /** These settings with {@code agents}' brains. */
    public PlannerSettings withAgents(AgentsConfig agents) {
        return new PlannerSettings(shortWindow, longWindow, longSlide, outOfOrderness, idleness, agentTimeout,
                heartbeatTimeout, churnLimit, agents);
    }

    public PlannerSettings {
        Objects.requireNonNull(shortWindow, "shortWindow");
        Objects.requireNonNull(longWindow, "longWindow");
        Objects.requireNonNull(longSlide, "longSlide");
        Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        Objects.requireNonNull(idleness, "idleness");
        Objects.requireNonNull(agentTimeout, "agentTimeout");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(agents, "agents");
        if (longWindow.toMillis() % longSlide.toMillis() != 0) {
            throw new IllegalArgumentException("the long window (" + longWindow + ") must be a whole number of "
                    + "slides (" + longSlide + ")");
        }
        if (churnLimit < 1) {
            throw new IllegalArgumentException("churn limit must be >= 1, was " + churnLimit);
        }
    }
}
