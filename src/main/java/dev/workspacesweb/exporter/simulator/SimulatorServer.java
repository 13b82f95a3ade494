package dev.workspacesweb.exporter.simulator;

import java.net.URI;
import java.time.InstantSource;
import java.util.List;

/** STUB until the simulator lands: the agreed entry points. */
public final class SimulatorServer implements AutoCloseable {
    private SimulatorServer() {}

    public static SimulatorServer start(SimulatorSettings settings, InstantSource clock, String host, int port) {
        throw new UnsupportedOperationException("simulator not merged yet");
    }

    public int port() {
        return 0;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:0");
    }

    public List<String> portalIds() {
        return List.of();
    }

    public void faults(SimulatorSettings.Faults faults) {}

    public void stop() {}

    @Override
    public void close() {
        stop();
    }
}
