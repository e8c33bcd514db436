package dev.edgeweave.testbed.cli;

import dev.edgeweave.testbed.lab.Lab;
import java.io.IOException;
import java.nio.file.Path;

/** The lab command's summary writer, for tests in other packages. */
public final class LabCommandAccess {

    private LabCommandAccess() {
    }

    public static void write(Path file, Lab.Options o, Lab.Result r) throws IOException {
        LabCommand.writeSummary(file, o, r);
    }
}
