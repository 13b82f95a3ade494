package dev.workspacesweb.exporter.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and git revision baked into the jar at build time. */
public record BuildInfo(String version, String revision, String javaVersion) {

    public static BuildInfo current() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        String revision = "unknown";
        try (InputStream in = BuildInfo.class.getResourceAsStream("/workspaces-web-exporter-git.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                revision = p.getProperty("git.commit.id.abbrev", revision);
                if ("true".equals(p.getProperty("git.dirty"))) {
                    revision += "-dirty";
                }
            }
        } catch (IOException e) {
            // Build info is informative only.
        }
        return new BuildInfo(version == null ? "dev" : version, revision, System.getProperty("java.version"));
    }
}
