package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code config} is the lowest package: it names no other package of ours (simulator, poll, aws, http, ...), by import
 * or fully qualified, so that everything may depend on it and it on nothing of ours.
 */
class ConfigDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/workspacesweb/exporter/config");
    private static final Pattern OURS = Pattern.compile("dev\\.workspacesweb\\.exporter\\.(\\w+)");

    @Test
    void theConfigPackageUsesNothingOfOurs() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(SOURCES)) {
            files = listing.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(files).as("the config sources").isNotEmpty();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OURS.matcher(lines.get(i));
                while (m.find()) {
                    if (!m.group(1).equals("config")) {
                        found.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(found).as("references from config to other packages of ours").isEmpty();
    }
}
