package dev.workspacesweb.exporter.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes real MaxMind DB files for tests with MaxMind's own writer ({@code scripts/write-mmdb.pl}, Debian's
 * {@code libmaxmind-db-writer-perl}, which {@code .ci/run} installs), with the networks a test chooses.
 */
public final class MmdbWriter {
    private static final Path SCRIPT = Path.of("scripts/write-mmdb.pl");

    private final String databaseType;
    private final List<Map<String, Object>> networks = new ArrayList<>();
    private Instant buildTime = Instant.now();

    private MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** A database of that type (what readers check), e.g. {@code GeoLite2-Country}, {@code GeoLite2-ASN}. */
    public static MmdbWriter ofType(String databaseType) {
        return new MmdbWriter(databaseType);
    }

    public MmdbWriter builtAt(Instant buildTime) {
        this.buildTime = buildTime;
        return this;
    }

    /** A network of a GeoLite2 Country / City / DB-IP database: {@code {country: {iso_code}}}. */
    public MmdbWriter country(String network, String isoCode) {
        return network(network, Map.of("country", Map.of("iso_code", isoCode, "names", Map.of("en", isoCode))));
    }

    /** A network of a GeoLite2-ASN database. */
    public MmdbWriter asn(String network, long number, String organization) {
        return network(network, Map.of("autonomous_system_number", number, "autonomous_system_organization", organization));
    }

    /** A network with any record. */
    public MmdbWriter network(String network, Map<String, Object> data) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("network", network);
        entry.put("data", data);
        networks.add(entry);
        return this;
    }

    /** Writes the file (atomically: to a temporary file, then renamed over {@code out}, as geoipupdate does). */
    public Path writeTo(Path out) throws IOException, InterruptedException {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("database_type", databaseType);
        spec.put("build_epoch", buildTime.getEpochSecond());
        spec.put("networks", networks);
        byte[] json = new ObjectMapper().writeValueAsBytes(spec);
        Path log = Files.createTempFile("write-mmdb", ".log");
        try {
            Process p = new ProcessBuilder("perl", SCRIPT.toString(), out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(json);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/write-mmdb.pl did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("scripts/write-mmdb.pl failed (exit " + p.exitValue() + "; it needs "
                        + "Debian's libmaxmind-db-writer-perl, which .ci/run installs): "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
        return out;
    }
}
