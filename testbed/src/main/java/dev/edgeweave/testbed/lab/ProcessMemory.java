package dev.edgeweave.testbed.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident memory, from Linux's {@code /proc/<pid>/status}. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** {@code VmHWM} (the peak resident set) of a process, bytes; -1 where /proc does not tell (not Linux, gone). */
    static long peakResidentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's peak resident memory; -1 where /proc does not tell. */
    static long selfPeakResidentBytes() {
        return peakResidentBytes(ProcessHandle.current().pid());
    }
}
