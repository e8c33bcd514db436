package dev.edgeweave.schemas.avro;

import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentPlan;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptLedgerEntry;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.RoutedPrompt;
import dev.edgeweave.v1.RoutingPolicy;
import dev.edgeweave.v1.WindowSummary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The schema store behind single-object encoding: every writer schema a reader can decode, by its 64-bit
 * parsing fingerprint (the one in each encoded record's header). No registry server is needed.
 *
 * <p>It starts with the current schema of every top-level record. Evolution within the major version works
 * by {@link #register registering} other writer schemas of the same records: an older writer's schema (a
 * field it lacks is filled from the reader's default) or a newer one's (a field it added is skipped). A
 * schema of another major version ({@code dev.edgeweave.v2...}) is refused: its records are {@code INVALID}
 * for this reader, by design of the versioning rule.
 *
 * <p>Thread-safe; the store is shared by every codec in the JVM unless a caller builds its own.
 */
public final class EdgeweaveSchemas implements SchemaStore {

    /** The namespace of the major version this code reads and writes. */
    public static final String NAMESPACE = AvroSettings.RECORD_PACKAGE;

    /** Every top-level record of the contract: one per topic value type, and the scheduler's ledger entry. */
    public static final List<Schema> RECORDS = List.of(
            Prompt.getClassSchema(),
            RoutedPrompt.getClassSchema(),
            AttemptResult.getClassSchema(),
            PromptCompletion.getClassSchema(),
            PromptRejection.getClassSchema(),
            NodeState.getClassSchema(),
            LinkSample.getClassSchema(),
            RoutingPolicy.getClassSchema(),
            WindowSummary.getClassSchema(),
            DeploymentPlan.getClassSchema(),
            DeploymentCommand.getClassSchema(),
            AgentDecision.getClassSchema(),
            PromptLedgerEntry.getClassSchema());

    private static final EdgeweaveSchemas SHARED = new EdgeweaveSchemas();

    private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

    /** A store holding the current schema of every record. */
    public EdgeweaveSchemas() {
        RECORDS.forEach(this::register);
    }

    /** The JVM-wide store that {@link AvroCodec#of} uses. */
    public static EdgeweaveSchemas shared() {
        return SHARED;
    }

    /**
     * Adds a writer schema of one of the contract's records.
     *
     * @throws IllegalArgumentException if it is not a record, is of another major version, or names no
     *     record of the contract
     */
    public void register(Schema writer) {
        if (writer.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("only record schemas can be registered, not " + writer.getType());
        }
        if (!NAMESPACE.equals(writer.getNamespace())) {
            throw new IllegalArgumentException("schema " + writer.getFullName()
                    + " is not of major version " + NAMESPACE + "; records of another major version are INVALID here");
        }
        boolean known = RECORDS.stream().anyMatch(s -> s.getFullName().equals(writer.getFullName()));
        if (!known) {
            throw new IllegalArgumentException("schema " + writer.getFullName() + " names no record of the contract");
        }
        byFingerprint.put(fingerprint(writer), writer);
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /** The fingerprint single-object encoding puts in a record's header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
