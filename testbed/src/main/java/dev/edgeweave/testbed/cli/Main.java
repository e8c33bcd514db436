package dev.edgeweave.testbed.cli;

import dev.edgeweave.testbed.scenario.ScenarioException;
import dev.edgeweave.testbed.workload.TraceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./edgeweave}: the command line of edgeweave. */
@Command(name = "edgeweave", mixinStandardHelpOptions = true, version = "edgeweave 0.1.0",
        description = "Fairness-aware, multi-agent serving of generative AI on a city's edge GPU servers.",
        subcommands = {EvaluateCommand.class, LabCommand.class, BenchCommand.class, ProduceCommand.class,
                TailCommand.class, TraceCommand.class, FuzzCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The CLI's log4j2 configuration (Kafka's logging in {@code bench}): Kafka's test kit ships a log4j2.yaml that would win otherwise. */
    static final String LOG_CONFIG = "edgeweave-cli-log4j2.xml";

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line, with its error handling: a failure prints {@code edgeweave: <reason>} and exits 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof ScenarioException || e instanceof TraceException
                    || e instanceof dev.edgeweave.config.SettingsException
                    || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                // Bad input, a bad setting, a file that cannot be read, a broker that refuses the login: the
                // message says what and where.
                cmd.getErr().println("edgeweave: " + e.getMessage());
            } else {
                // Anything else is a bug: the whole trace, for the report.
                cmd.getErr().println("edgeweave: unexpected " + e);
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
