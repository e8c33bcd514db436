package dev.edgeweave.testbed.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./edgeweave bench}: the benchmarks, each printing one JSON line last. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints its progress on standard error and one JSON line last on standard output.",
        subcommands = {SchedulerBenchCommand.class, PlannerBenchCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
