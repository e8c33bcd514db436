package dev.edgeweave.planner;

/**
 * One record for a Kafka topic, already encoded: the planner's outputs (summaries, policies, plans, commands,
 * agent decisions) go to one sink as these. A Flink POJO.
 */
public class Outbound {
    public String topic;
    public String key;
    public byte[] value;
    /** City clock, epoch milliseconds. */
    public long timestamp;

    public Outbound() {
    }

    public Outbound(String topic, String key, byte[] value, long timestamp) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }

    @Override
    public String toString() {
        return topic + "/" + key + "@" + timestamp;
    }
}
