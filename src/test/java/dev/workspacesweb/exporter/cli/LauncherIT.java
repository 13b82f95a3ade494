package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar on a JVM older than 21 (the JDK 17 that is many machines' default, this one's included) says what
 * to do and exits 2, rather than failing with an UnsupportedClassVersionError; on this JVM it runs the agent's CLI.
 */
class LauncherIT {
    private static final Path JAR = Path.of("target", "workspaces-web-exporter.jar").toAbsolutePath();

    @Test
    void anOlderJavaIsToldWhatToDo() throws Exception {
        Optional<Path> java17 = olderJava();
        assumeTrue(java17.isPresent(), "no JDK older than 21 under /usr/lib/jvm");
        Run run = run(java17.get().toString(), "--version");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("needs Java 21 or newer", "this is Java 1", "java -jar")
                .doesNotContain("UnsupportedClassVersionError");
    }

    @Test
    void thisJavaRunsTheCli() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Run run = run(java, "--version");
        assertThat(run.exit()).isZero();
        assertThat(run.output()).startsWith("workspaces-web-exporter ");
    }

    private record Run(int exit, String output) {}

    private static Run run(String java, String... args) throws IOException, InterruptedException {
        String[] command = Stream.concat(Stream.of(java, "-jar", JAR.toString()), Stream.of(args)).toArray(String[]::new);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    /** A java of a JDK 8 to 20 installed beside this one, if any. */
    private static Optional<Path> olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-(1[0-9]|20|8)(-|\\.|$).*"))
                    .map(d -> d.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .sorted()
                    .findFirst();
        }
    }
}
