package dev.edgeweave.testbed.cli;

import java.io.PrintStream;

/** A one-line progress bar on standard error, redrawn in place; plain lines when it is not a terminal. */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String what;
    private final int total;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private int lastPercentLogged = -1;

    Progress(PrintStream out, String what, int total) {
        this.out = out;
        this.what = what;
        this.total = Math.max(1, total);
    }

    synchronized void update(int done) {
        int percent = (int) (100L * done / total);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (terminal) {
            int filled = WIDTH * done / total;
            out.printf("\r%s [%s%s] %d/%d %3d%% %5.1fs", what, "#".repeat(filled), " ".repeat(WIDTH - filled), done,
                    total, percent, elapsed);
            if (done == total) {
                out.println();
            }
        } else if (percent / 10 != lastPercentLogged / 10 || done == total) {
            lastPercentLogged = percent;
            out.printf("%s: %d/%d runs (%d%%), %.1f s%n", what, done, total, percent, elapsed);
        }
        out.flush();
    }
}
