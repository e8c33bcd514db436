package dev.edgeweave.testbed.engine;

/**
 * One policy's run on one seed: a row per prompt (parallel arrays, by arrival order) and the run's counters.
 *
 * @param policy          the policy's name
 * @param seed            the seed
 * @param arrival         arrival time, city seconds from the workload's start
 * @param model           model index in the setup
 * @param user            user index
 * @param accessPoint     access point index
 * @param server          server that completed it, -1 when rejected
 * @param attempts        attempts made
 * @param completed       true when completed, false when rejected
 * @param latency         end-to-end latency, seconds; a rejection counts at its SLO
 * @param slowdown        latency / inference alone on the reference GPU
 * @param slo             the prompt's SLO, seconds
 * @param terminalRecords terminal records written for the prompt: exactly 1 each when nothing is lost
 * @param rerouted        prompts that needed more than one attempt
 * @param lastTerminal    city seconds of the last terminal record
 * @param lastArrival     city seconds of the last arrival
 * @param eventSeconds    city seconds of the run's event (failure or shift), NaN when none
 * @param agentDecisions  decisions the agents took (0 for baselines)
 * @param guardRefusals   decisions the guard refused or replaced
 */
public record RunResult(String policy, long seed, double[] arrival, int[] model, int[] user, int[] accessPoint,
                        int[] server, byte[] attempts, boolean[] completed, double[] latency, double[] slowdown,
                        double[] slo, byte[] terminalRecords, long rerouted, double lastTerminal,
                        double lastArrival, double eventSeconds, long agentDecisions, long guardRefusals) {

    public int size() {
        return arrival.length;
    }
}
