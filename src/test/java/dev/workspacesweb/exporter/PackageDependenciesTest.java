package dev.workspacesweb.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import graph of the main sources, read from the files: SDK types of the service only in {@code aws}, data in
 * one direction (aws -> poll -> store -> its readers), and no package cycle.
 */
class PackageDependenciesTest {
    private static final Path MAIN = Path.of("src/main/java/dev/workspacesweb/exporter");
    private static final Pattern OURS = Pattern.compile("^import (?:static )?dev\\.workspacesweb\\.exporter\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final String SDK_MODEL = "software.amazon.awssdk.services.workspacesweb";

    @Test
    void onlyTheAwsPackageSeesTheServicesSdkTypes() {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            if (!pkg.equals("aws") && read(file).contains(SDK_MODEL)) {
                offenders.add(MAIN.relativize(file).toString());
            }
        }
        assertThat(offenders).as("files outside aws that use " + SDK_MODEL).isEmpty();
    }

    @Test
    void theLowerPackagesImportNothingAboveThem() {
        Map<String, Set<String>> graph = graph();
        assertThat(graph.getOrDefault("model", Set.of())).as("model imports").isEmpty();
        assertThat(graph.getOrDefault("aws", Set.of())).as("aws imports").isSubsetOf("config", "model");
        assertThat(graph.getOrDefault("poll", Set.of())).as("poll imports").isSubsetOf("aws", "config", "model");
        // GeoIP lookups sit beside config, below the metrics and policies that locate client IPs with them.
        assertThat(graph.getOrDefault("geo", Set.of())).as("geo imports").isSubsetOf("config");
        for (String reader : List.of("metrics", "http", "otlp", "policy")) {
            assertThat(graph.getOrDefault(reader, Set.of())).as(reader + " imports").doesNotContain("cli", "simulator");
        }
    }

    @Test
    void thereIsNoPackageCycle() {
        Map<String, Set<String>> graph = graph();
        for (String start : graph.keySet()) {
            // Every package reachable from start, through at least one edge: start itself must not be among them.
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(graph.get(start));
            while (!todo.isEmpty()) {
                String next = todo.remove(todo.size() - 1);
                if (seen.add(next)) {
                    todo.addAll(graph.getOrDefault(next, Set.of()));
                }
            }
            assertThat(seen).as("packages reachable from " + start + " (" + graph + ")").doesNotContain(start);
        }
    }

    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : sources()) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            Set<String> imports = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
            Matcher m = OURS.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    imports.add(m.group(1));
                }
            }
        }
        return graph;
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(list).as("main sources under " + MAIN.toAbsolutePath()).isNotEmpty();
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
