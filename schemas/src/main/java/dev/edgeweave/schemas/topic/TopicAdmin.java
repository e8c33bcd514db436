package dev.edgeweave.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics as {@link Topics} defines them, idempotently: a topic that exists with the defined
 * partition count is left alone; one that exists with another count is an error, since co-partitioning and
 * per-server ordering depend on it. Components call it at start (a connector for its own
 * {@code node.<nodeId>.prompts}), and so does anything that sets up a cluster.
 */
public final class TopicAdmin {

    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    /**
     * @param admin             the admin client; the caller closes it
     * @param replicationFactor replicas per partition (1 on a one-broker cluster)
     * @param timeout           how long each admin call may take
     */
    public TopicAdmin(Admin admin, short replicationFactor, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, was " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Makes sure every topic exists as defined.
     *
     * @return the names it created (the others existed already)
     * @throws IllegalStateException if a topic exists with another partition count, or the cluster fails
     */
    public List<String> ensure(Collection<Topic<?, ?>> topics) {
        List<String> created = new ArrayList<>();
        Set<String> existing = call(() -> admin.listTopics().names(), "listing topics");
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                .map(t -> t.newTopic(replicationFactor)).toList();
        if (!missing.isEmpty()) {
            var result = admin.createTopics(missing);
            for (NewTopic nt : missing) {
                try {
                    result.values().get(nt.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(nt.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + nt.name() + " failed: "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    // Created concurrently by another component: checked below like any existing topic.
                } catch (TimeoutException e) {
                    throw new IllegalStateException("creating topic " + nt.name() + " took over " + timeout, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + nt.name(), e);
                }
            }
        }
        List<String> names = topics.stream().map(Topic::name).toList();
        Map<String, TopicDescription> described = describe(names);
        for (Topic<?, ?> t : topics) {
            int actual = described.get(t.name()).partitions().size();
            if (actual != t.partitions()) {
                throw new IllegalStateException("topic " + t.name() + " exists with " + actual
                        + " partitions but is defined with " + t.partitions()
                        + "; recreate it or align the definition");
            }
        }
        return created;
    }

    /**
     * Describes {@code names}, asking again while the broker does not know a topic or a partition's leader yet:
     * right after a creation its metadata may trail the controller for a moment, and a topic made by a
     * concurrent component as well.
     */
    private Map<String, TopicDescription> describe(List<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> d = call(() -> admin.describeTopics(names).allTopicNames(),
                        "describing topics");
                // A producer writing to a partition whose leader the broker does not know yet gets
                // NOT_LEADER_OR_FOLLOWER, and an idempotent one may then fail its sequence: wait for every leader.
                boolean led = d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
                if (led) {
                    return d;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " have partitions without a leader after "
                            + timeout);
                }
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing topics", e);
            }
        }
    }

    private <T> T call(KafkaCall<T> call, String what) {
        try {
            return call.future().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " took over " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    @FunctionalInterface
    private interface KafkaCall<T> {
        org.apache.kafka.common.KafkaFuture<T> future();
    }
}
