package dev.edgeweave.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.BatchScaling;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelLimits;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.SpeechParams;
import dev.edgeweave.core.sim.DiscreteEventScheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The emulated server against hand-computed timelines. Most cases use a made-up speech model whose law
 * reduces to "inference seconds = audio seconds" on the made-up GPU (fixed 0, RTFx 1, anchored at the GPU's
 * own TFLOPS, exponent 1), so a job of audio 2.0 is exactly 2 s of batch-1 work; loading it takes
 * 5 GB / 1 GB/s + 1 s engine start = 6 s. The batching cases also use the catalog's Llama on an L4, with the
 * expected value taken from {@link LatencyLaws}.
 */
class EmulatedServerTest {

    static final long GB = 1_000_000_000L;
    static final double EPS = 1e-9;
    static final GpuType GPU = new GpuType("test-gpu", "Test GPU", 100 * GB, 100.0, 1000.0, "[E] test");
    static final double STORAGE = 1e9;
    static final double LOAD = 6.0;              // 5 GB / 1 GB/s + 1 s
    static final double T0 = LOAD;               // models loaded at 0 are ready at T0

    static final ModelSpec A = speech("model-a", 10, BatchScaling.NONE);
    static final ModelSpec B = speech("model-b", 10, BatchScaling.NONE);
    /** speed-up(4) = 4 / (1 + 0.25·3) = 16/7, so each of 4 runs 4 / (16/7) = 1.75× slower; speed-up(2) = 1.6, 1.25×. */
    static final ModelSpec BATCHED = speech("model-batched", 10, new BatchScaling(0.25, 8));
    static final ModelSpec BIG = speech("model-big", 60, BatchScaling.NONE);
    static final ModelSpec BIG2 = speech("model-big-2", 60, BatchScaling.NONE);

    static ModelSpec speech(String id, long memoryGb, BatchScaling batching) {
        return new ModelSpec(id, id, ModelClass.SPEECH_RECOGNITION, 5 * GB, memoryGb * GB, 1.0,
                new ModelLimits(0, 0, 0, 3600, 0, 0, 0),
                new SpeechParams(1.0, 100.0, 1.0, 0.0, 0.1, batching),
                List.of("[E] test model"));
    }

    static PromptSize audio(double seconds) {
        return new PromptSize(0, 0, 0, seconds, 0, 0, 0, 0);
    }

    /** What the listener heard about one finished job. */
    record Done(long id, double queue, double loadWait, double service, double at) {
    }

    /** Records every callback in order. */
    static final class Recorder implements ServerListener {
        final List<Done> done = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void onStarted(EmulatedServer s, Job j, double now) {
            events.add("started " + j.id() + " @" + now);
        }

        @Override
        public void onCompleted(EmulatedServer s, Job j, double queue, double loadWait, double service, double now) {
            done.add(new Done(j.id(), queue, loadWait, service, now));
            events.add("completed " + j.id() + " @" + now);
        }

        @Override
        public void onReady(EmulatedServer s, String modelId, double now) {
            events.add("ready " + modelId + " @" + now);
        }

        @Override
        public void onUnloaded(EmulatedServer s, String modelId, double now) {
            events.add("unloaded " + modelId + " @" + now);
        }

        Done of(long id) {
            return done.stream().filter(d -> d.id() == id).findFirst()
                    .orElseThrow(() -> new AssertionError("job " + id + " did not complete; heard " + events));
        }
    }

    final DiscreteEventScheduler scheduler = new DiscreteEventScheduler();
    final Recorder recorder = new Recorder();
    EmulatedServer server = server(1);

    EmulatedServer server(int gpus) {
        return new EmulatedServer(7, new EdgeServer("srv-7", "site-1", Collections.nCopies(gpus, GPU), STORAGE),
                scheduler, recorder);
    }

    Job job(long id, ModelSpec model, double audioSeconds) {
        return new Job(id, model, audio(audioSeconds), scheduler.now(), null);
    }

    void at(double time, Runnable action) {
        scheduler.scheduleAt(time, action);
    }

    void submitAt(double time, long id, ModelSpec model, double audioSeconds) {
        at(time, () -> assertTrue(server.submit(job(id, model, audioSeconds)), "job " + id + " accepted"));
    }

    static void assertDone(Done d, double queue, double loadWait, double service, double at) {
        assertEquals(queue, d.queue(), EPS, "queue of " + d);
        assertEquals(loadWait, d.loadWait(), EPS, "load wait of " + d);
        assertEquals(service, d.service(), EPS, "service of " + d);
        assertEquals(at, d.at(), EPS, "completion time of " + d);
    }

    @Test
    void theMadeUpLawIsWhatTheTestsAssume() {
        assertEquals(2.0, LatencyLaws.inferenceSeconds(A, GPU, audio(2.0)), 1e-12);
        assertEquals(LOAD, LatencyLaws.loadSeconds(A, STORAGE), 1e-12);
        assertEquals(1.75, LatencyLaws.perPromptSlowdown(BATCHED, 4), 1e-12);
        assertEquals(1.25, LatencyLaws.perPromptSlowdown(BATCHED, 2), 1e-12);
        assertEquals(2.0, LatencyLaws.perPromptSlowdown(A, 2), 1e-12);
    }

    // ---- one deployment ----------------------------------------------------------------------------------

    @Test
    void oneJobAloneCompletesAfterItsInferenceTime() {
        server.load(A, 0, 1);
        submitAt(10.0, 1, A, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 2.0, 12.0);
        assertEquals(List.of("ready model-a @6.0", "started 1 @10.0", "completed 1 @12.0"), recorder.events);
        assertEquals(0, server.inFlight());
    }

    @Test
    void aCatalogChatJobAloneTakesItsLawTime() {
        ModelSpec llama = ModelCatalog.standard().require("llama-3.1-8b-instruct");
        GpuType l4 = GpuCatalog.standard().require("l4");
        server = new EmulatedServer(0, new EdgeServer("l4-box", "site-1", List.of(l4)), scheduler, recorder);
        server.load(llama, 0, 4);
        double ready = LatencyLaws.loadSeconds(llama, EdgeServer.DEFAULT_STORAGE_BYTES_PER_SECOND); // 4.6 GB / 0.5 GB/s + 34 s
        assertEquals(43.2, ready, 1e-9);
        PromptSize size = PromptSize.text(512, 128);
        at(50.0, () -> server.submit(new Job(1, llama, size, 50.0, null)));
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, LatencyLaws.inferenceSeconds(llama, l4, size),
                50.0 + LatencyLaws.inferenceSeconds(llama, l4, size));
    }

    @Test
    void oneSlotServesFirstInFirstOut() {
        server.load(A, 0, 1);
        for (long id = 1; id <= 3; id++) {
            submitAt(T0, id, A, 2.0);
        }
        scheduler.run();

        assertEquals(List.of(1L, 2L, 3L), recorder.done.stream().map(Done::id).toList());
        assertDone(recorder.of(1), 0.0, 0.0, 2.0, T0 + 2);
        assertDone(recorder.of(2), 2.0, 0.0, 2.0, T0 + 4);
        assertDone(recorder.of(3), 4.0, 0.0, 2.0, T0 + 6);
    }

    @Test
    void fourSlotsBatchFourJobsEachSlowedByThePerPromptSlowdown() {
        server.load(BATCHED, 0, 4);
        for (long id = 1; id <= 4; id++) {
            submitAt(T0, id, BATCHED, 2.0);
        }
        scheduler.run();

        for (long id = 1; id <= 4; id++) {
            assertDone(recorder.of(id), 0.0, 0.0, 3.5, T0 + 3.5); // 2 s × 1.75
        }
    }

    @Test
    void fourCatalogChatJobsBatchAsTheLawSays() {
        ModelSpec llama = ModelCatalog.standard().require("llama-3.1-8b-instruct");
        GpuType l4 = GpuCatalog.standard().require("l4");
        server = new EmulatedServer(0, new EdgeServer("l4-box", "site-1", List.of(l4)), scheduler, recorder);
        server.load(llama, 0, 4);
        PromptSize size = PromptSize.text(512, 128);
        for (long id = 1; id <= 4; id++) {
            long jobId = id;
            at(100.0, () -> server.submit(new Job(jobId, llama, size, 100.0, null)));
        }
        scheduler.run();

        double expected = LatencyLaws.inferenceSeconds(llama, l4, size) * LatencyLaws.perPromptSlowdown(llama, 4);
        for (long id = 1; id <= 4; id++) {
            assertDone(recorder.of(id), 0.0, 0.0, expected, 100.0 + expected);
        }
    }

    @Test
    void twoSlotsWithoutBatchingGainShareLikeProcessorSharing() {
        // Job 1 (2 s) alone for 1 s, then both at half speed: job 1's last second takes 2 s (done at +3);
        // job 2 did 1 s of its 2 by then and finishes alone at +4.
        server.load(A, 0, 2);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0 + 1, 2, A, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 3.0, T0 + 3);
        assertDone(recorder.of(2), 0.0, 0.0, 3.0, T0 + 4);
    }

    // ---- processor sharing between deployments -----------------------------------------------------------

    @Test
    void twoDeploymentsWithEqualWeightsEachTakeTwiceAsLong() {
        server.load(A, 0, 1);
        server.load(B, 0, 1);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0, 2, B, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 4.0, T0 + 4);
        assertDone(recorder.of(2), 0.0, 0.0, 4.0, T0 + 4);
    }

    @Test
    void aJobArrivingHalfwayIsSharedPiecewise() {
        // A alone from T0 to T0+1 (1 s of 2 done); then A and B at 1/2 each: A's last 1 s ends at T0+3, when B
        // has 1 s of 2 done; B alone finishes at T0+4.
        server.load(A, 0, 1);
        server.load(B, 0, 1);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0 + 1, 2, B, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 3.0, T0 + 3);
        assertDone(recorder.of(2), 0.0, 0.0, 3.0, T0 + 4);
    }

    @Test
    void unequalWeightsThreeToOneSplitTheGpuThreeToOne() {
        // A at 3/4 speed: its 2 s end at T0 + 8/3, when B (1/4 speed) has 2/3 s done; B's remaining 4/3 s
        // alone end at T0 + 4.
        server.load(A, 0, 1, 3.0);
        server.load(B, 0, 1, 1.0);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0, 2, B, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 8.0 / 3.0, T0 + 8.0 / 3.0);
        assertDone(recorder.of(2), 0.0, 0.0, 4.0, T0 + 4.0);
    }

    @Test
    void sharingAndBatchingCompose() {
        // BATCHED runs 2 jobs (slowdown 1.25) on half the GPU: each at 0.5 / 1.25 = 0.4; A's one job at 0.5.
        // At T0+4 A is done and each batched job has 1.6 of 2 s done; alone (1/1.25 = 0.8) their 0.4 s left
        // take 0.5 s: done at T0+4.5.
        server.load(BATCHED, 0, 2);
        server.load(A, 0, 1);
        submitAt(T0, 1, BATCHED, 2.0);
        submitAt(T0, 2, BATCHED, 2.0);
        submitAt(T0, 3, A, 2.0);
        scheduler.run();

        assertDone(recorder.of(3), 0.0, 0.0, 4.0, T0 + 4);
        assertDone(recorder.of(1), 0.0, 0.0, 4.5, T0 + 4.5);
        assertDone(recorder.of(2), 0.0, 0.0, 4.5, T0 + 4.5);
    }

    @Test
    void deploymentsOnDifferentGpusDoNotSlowEachOther() {
        server = server(2);
        server.load(A, 0, 1);
        server.load(B, 1, 1);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0, 2, B, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 2.0, T0 + 2);
        assertDone(recorder.of(2), 0.0, 0.0, 2.0, T0 + 2);
        assertEquals(2.0, server.busySeconds(0), EPS);
        assertEquals(2.0, server.busySeconds(1), EPS);
    }

    @Test
    void raisingAWeightMidJobTakesEffectFromThen() {
        // Equal weights until T0+1 (0.5 s each done); then A at 3/4 finishes its 1.5 s at T0+3, B at 1/4 has
        // 1 s left and finishes alone at T0+4.
        server.load(A, 0, 1);
        server.load(B, 0, 1);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0, 2, B, 2.0);
        at(T0 + 1, () -> server.resize(A.id(), 1, 3.0));
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 3.0, T0 + 3);
        assertDone(recorder.of(2), 0.0, 0.0, 4.0, T0 + 4);
    }

    @Test
    void moreSlotsStartQueuedJobsAtOnce() {
        // Job 2 waits 1 s, starts at T0+1 beside job 1 (1 s left); both at 1/2: job 1 ends at T0+3, job 2
        // (1 s done) ends alone at T0+4.
        server.load(A, 0, 1);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0, 2, A, 2.0);
        at(T0 + 1, () -> server.resize(A.id(), 2, 1.0));
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 3.0, T0 + 3);
        assertDone(recorder.of(2), 1.0, 0.0, 3.0, T0 + 4);
    }

    // ---- loading -----------------------------------------------------------------------------------------

    @Test
    void aJobSubmittedDuringLoadingWaitsForTheRestOfTheLoad() {
        DeploymentView view = server.load(A, 0, 1);
        assertEquals(DeploymentStatus.LOADING, view.status());
        assertEquals(LOAD, view.readyAt(), EPS);
        assertEquals(10 * GB, server.memoryUsedBytes(0), "memory is held from the start of the load");
        assertSame(view, server.deployment(A.id()));
        submitAt(2.0, 1, A, 2.0);
        submitAt(3.0, 2, A, 2.0);
        at(5.0, () -> {
            assertEquals(2, view.queued());
            assertEquals(0, view.running());
            assertEquals(2, server.inFlight());
        });
        scheduler.run();

        assertEquals(DeploymentStatus.READY, view.status());
        assertDone(recorder.of(1), 0.0, 4.0, 2.0, 8.0);   // load wait 6 - 2
        assertDone(recorder.of(2), 2.0, 3.0, 2.0, 10.0);  // load wait 6 - 3, then a slot from 8
        assertEquals("ready model-a @6.0", recorder.events.get(0));
    }

    @Test
    void aLoadThatDoesNotFitIsRefused() {
        server.load(BIG, 0, 1);
        assertFalse(server.fits(BIG2, 0));
        assertEquals(-1, server.bestFitGpu(BIG2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.load(BIG2, 0, 1));
        assertTrue(e.getMessage().contains("needs 60000000000 B") && e.getMessage().contains("40000000000 B free"),
                e.getMessage());
        assertEquals(60 * GB, server.memoryUsedBytes(0), "a refused load holds nothing");
        assertTrue(server.fits(A, 0));
    }

    @Test
    void loadRefusesDuplicatesBadGpusAndBadSettings() {
        server.load(A, 0, 1);
        IllegalStateException dup = assertThrows(IllegalStateException.class, () -> server.load(A, 0, 1));
        assertTrue(dup.getMessage().contains("already deployed"), dup.getMessage());
        IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class, () -> server.load(B, 1, 1));
        assertTrue(gpu.getMessage().contains("GPUs 0..0"), gpu.getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.load(B, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> server.load(B, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> server.load(B, 0, 1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> server.load(B, 0, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> server.resize(A.id(), 0, 1.0));
        assertThrows(IllegalStateException.class, () -> server.resize(B.id(), 1, 1.0));
        assertNull(server.deployment(B.id()));
    }

    @Test
    void bestFitPicksTheFullestGpuThatStillFits() {
        server = server(2);
        server.load(speech("hog", 70, BatchScaling.NONE), 1, 1); // GPU 1: 30 GB free, GPU 0: 100 GB free
        assertEquals(1, server.bestFitGpu(speech("m20", 20, BatchScaling.NONE)));
        assertEquals(0, server.bestFitGpu(speech("m40", 40, BatchScaling.NONE)));
        assertEquals(-1, server.bestFitGpu(speech("m120", 120, BatchScaling.NONE)));
        assertEquals(70.0 / 200.0, server.memoryUtilisation(), 1e-12);
    }

    // ---- unloading -----------------------------------------------------------------------------------------

    @Test
    void unloadDrainsQueuedJobsRefusesNewOnesAndFreesMemoryAfter() {
        DeploymentView view = server.load(A, 0, 1);
        for (long id = 1; id <= 3; id++) {
            submitAt(T0, id, A, 2.0);
        }
        at(T0 + 1, () -> assertEquals(List.of(), server.unload(A.id())));
        at(T0 + 1.5, () -> {
            assertEquals(DeploymentStatus.DRAINING, view.status());
            assertFalse(server.submit(job(9, A, 2.0)), "a draining deployment refuses new jobs");
        });
        at(T0 + 5.5, () -> assertEquals(10 * GB, server.memoryUsedBytes(0), "still held while draining"));
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 2.0, T0 + 2);
        assertDone(recorder.of(2), 2.0, 0.0, 2.0, T0 + 4);
        assertDone(recorder.of(3), 4.0, 0.0, 2.0, T0 + 6);
        assertEquals(3, recorder.done.size());
        assertEquals("unloaded model-a @" + (T0 + 6), recorder.events.get(recorder.events.size() - 1));
        assertEquals(0, server.memoryUsedBytes(0));
        assertNull(server.deployment(A.id()));
        assertTrue(view.removed());
        assertTrue(server.deployments().isEmpty());
    }

    @Test
    void unloadingAnIdleDeploymentFreesItAtOnce() {
        server.load(A, 0, 1);
        scheduler.runUntil(T0 + 1);
        server.unload(A.id());
        assertEquals(0, server.memoryUsedBytes(0));
        assertEquals("unloaded model-a @" + (T0 + 1), recorder.events.get(recorder.events.size() - 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.unload(A.id()));
        assertTrue(e.getMessage().contains("not deployed"), e.getMessage());
    }

    @Test
    void unloadingALoadingDeploymentCancelsTheLoadAndHandsBackItsJobs() {
        server.load(A, 0, 1);
        submitAt(1.0, 1, A, 2.0);
        submitAt(1.5, 2, A, 2.0);
        List<Job> handedBack = new ArrayList<>();
        at(2.0, () -> {
            handedBack.addAll(server.unload(A.id()));
            assertEquals(0, server.memoryUsedBytes(0), "memory is free at once");
            assertEquals(0, server.inFlight());
        });
        scheduler.run();

        assertEquals(List.of(1L, 2L), handedBack.stream().map(Job::id).toList());
        assertEquals(List.of("unloaded model-a @2.0"), recorder.events, "never ready, nothing ran");
        assertEquals(2.0, scheduler.now(), "the load event was cancelled, not left to fire");
    }

    // ---- failure -----------------------------------------------------------------------------------------

    @Test
    void failReturnsEveryQueuedAndRunningJobAndNothingCompletesAfterwards() {
        server.load(A, 0, 2);
        for (long id = 1; id <= 3; id++) {
            submitAt(T0, id, A, 2.0);
        }
        List<Job> aborted = new ArrayList<>();
        at(T0 + 1, () -> aborted.addAll(server.fail()));
        scheduler.run();

        assertEquals(List.of(1L, 2L, 3L), aborted.stream().map(Job::id).toList(), "running 1, 2 then queued 3");
        assertTrue(recorder.done.isEmpty(), "no completion after the failure: " + recorder.events);
        assertFalse(server.up());
        assertEquals(0, server.inFlight());
        assertEquals(0, server.memoryUsedBytes(0));
        assertTrue(server.deployments().isEmpty());
        assertFalse(server.submit(job(4, A, 2.0)));
        assertFalse(server.fits(A, 0), "nothing fits on a down server");
        assertEquals(1.0, server.busySeconds(0), EPS, "busy from T0 until the failure");
        assertEquals(List.of(), server.fail(), "failing again returns nothing");

        server.recover();
        assertTrue(server.up());
        assertTrue(server.deployments().isEmpty());
        server.load(A, 0, 1);
        double readyAt = scheduler.now() + LOAD;
        assertEquals(readyAt, server.deployment(A.id()).readyAt(), EPS);
        scheduler.run();
        assertEquals("ready model-a @" + readyAt, recorder.events.get(recorder.events.size() - 1));
    }

    @Test
    void failDuringLoadingLosesTheLoad() {
        server.load(A, 0, 1);
        submitAt(1.0, 1, A, 2.0);
        List<Job> aborted = new ArrayList<>();
        at(2.0, () -> aborted.addAll(server.fail()));
        scheduler.run();

        assertEquals(1, aborted.size());
        assertTrue(recorder.events.isEmpty(), "no ready, no start, no completion: " + recorder.events);
        assertEquals(0, server.memoryUsedBytes(0));
        assertEquals(2.0, scheduler.now());
    }

    // ---- telemetry ---------------------------------------------------------------------------------------

    @Test
    void meanServiceStartsAtTheLawThenFollowsAnEwmaOfCompletedJobs() {
        DeploymentView view = server.load(A, 0, 1);
        assertEquals(0.0, view.meanServiceSeconds(), "nothing submitted yet");
        submitAt(T0, 1, A, 2.0);
        submitAt(T0, 2, A, 4.0);
        at(T0 + 1, () -> {
            assertEquals(2.0, view.meanServiceSeconds(), EPS, "batch-1 law of the first job submitted");
            assertEquals(1, view.running());
            assertEquals(1, view.queued());
            assertEquals(2, server.inFlight());
            assertEquals(T0, view.lastUsedAt(), EPS);
        });
        at(T0 + 3, () -> assertEquals(2.0, view.meanServiceSeconds(), EPS, "first completion: its service"));
        scheduler.run();

        assertEquals(2.0 + 0.2 * (4.0 - 2.0), view.meanServiceSeconds(), EPS);
        assertEquals(2, view.completed());
        assertEquals(T0 + 6, view.lastUsedAt(), EPS);
    }

    @Test
    void busySecondsCountOnlyTimeWithARunningJob() {
        server.load(A, 0, 1);
        submitAt(T0, 1, A, 2.0);
        submitAt(T0 + 5, 2, A, 2.0);
        at(T0 + 1, () -> assertEquals(1.0, server.busySeconds(0), EPS));
        at(T0 + 4, () -> assertEquals(2.0, server.busySeconds(0), EPS));
        scheduler.run();
        assertEquals(4.0, server.busySeconds(0), EPS);
    }

    @Test
    void aJobWithNoWorkCompletesAtOnce() {
        server.load(A, 0, 1);
        submitAt(T0, 1, A, 0.0);
        scheduler.run();
        assertDone(recorder.of(1), 0.0, 0.0, 0.0, T0);
    }

    @Test
    void aListenerMayCallBackIntoTheServer() {
        // A closed loop: each completion submits the next job, from inside the callback.
        long[] next = {2};
        server = new EmulatedServer(1, new EdgeServer("srv", "site", List.of(GPU), STORAGE), scheduler,
                new ServerListener() {
                    @Override
                    public void onCompleted(EmulatedServer s, Job j, double q, double lw, double sv, double now) {
                        recorder.onCompleted(s, j, q, lw, sv, now);
                        if (next[0] <= 3) {
                            assertTrue(s.submit(new Job(next[0]++, A, audio(2.0), now, null)));
                        }
                    }
                });
        server.load(A, 0, 1);
        submitAt(T0, 1, A, 2.0);
        scheduler.run();

        assertDone(recorder.of(1), 0.0, 0.0, 2.0, T0 + 2);
        assertDone(recorder.of(2), 0.0, 0.0, 2.0, T0 + 4);
        assertDone(recorder.of(3), 0.0, 0.0, 2.0, T0 + 6);
    }

    @Test
    void submitIsRefusedForAModelThatIsNotDeployed() {
        assertFalse(server.submit(job(1, A, 2.0)));
        assertEquals(0, server.inFlight());
    }

    // ---- determinism ---------------------------------------------------------------------------------------

    @Test
    void theSameSequenceGivesIdenticalTimings() {
        List<Done> first = randomScenario();
        List<Done> second = randomScenario();
        assertEquals(400, first.size(), "every accepted job completes");
        assertEquals(first, second); // exact, double for double
    }

    /** Two GPUs, three models, 400 random jobs, a weight change and a concurrency change on the way. */
    static List<Done> randomScenario() {
        DiscreteEventScheduler sim = new DiscreteEventScheduler();
        Recorder heard = new Recorder();
        EmulatedServer s = new EmulatedServer(0, new EdgeServer("s", "site", List.of(GPU, GPU), STORAGE), sim, heard);
        s.load(A, 0, 2, 1.0);
        s.load(BATCHED, 0, 4, 2.0);
        s.load(B, 1, 3, 1.0);
        Random random = new Random(7);
        ModelSpec[] models = {A, BATCHED, B};
        double t = 1.0;
        for (long id = 0; id < 400; id++) {
            t += random.nextDouble() * 0.8;
            ModelSpec m = models[random.nextInt(3)];
            Job j = new Job(id, m, audio(0.5 + random.nextDouble() * 3.0), t, null);
            sim.scheduleAt(t, () -> assertTrue(s.submit(j)));
        }
        sim.scheduleAt(60.0, () -> s.resize(BATCHED.id(), 2, 0.5));
        sim.scheduleAt(90.0, () -> s.resize(A.id(), 4, 3.0));
        sim.run();
        return heard.done;
    }
}
