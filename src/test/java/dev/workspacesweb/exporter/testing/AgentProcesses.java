package dev.workspacesweb.exporter.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent processes a test started ({@link AgentProcess#start}), each killed when the test ends. */
public final class AgentProcesses implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();

    /** Starts an agent against a simulator ({@link AgentProcess#TEST_AWS}), its output to {@code log}. */
    public Process start(Path config, Path log) throws IOException {
        Process p = AgentProcess.start(config, log, AgentProcess.TEST_AWS);
        started.add(p);
        return p;
    }

    @Override
    public void close() {
        started.forEach(Process::destroyForcibly);
    }
}
