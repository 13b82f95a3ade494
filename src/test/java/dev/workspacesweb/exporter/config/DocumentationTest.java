package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped config.yaml and README.md document every key the loader knows, so they cannot drift. */
class DocumentationTest {

    @Test
    void configYamlSetsEveryKeyWithACommentAbove() throws Exception {
        String yaml = Files.readString(Path.of("config.yaml"));
        YamlDocument structure = YamlDocument.parse(yaml, "config.yaml");
        String[] lines = yaml.split("\n", -1);
        for (String key : ConfigLoader.keys()) {
            assertThat(structure.contains(key)).as("config.yaml sets " + key).isTrue();
            int line = structure.line(key);
            assertThat(lines[line - 2].strip()).as("comment above " + key + " (line " + line + ")").startsWith("#");
        }
    }

    @Test
    void configKeysTableListsEveryKeyAndVariable() throws Exception {
        String table = Files.readString(Path.of("README.md"));
        for (String key : ConfigLoader.keys()) {
            assertThat(table).as("README.md").contains("| `" + key + "` |");
        }
        for (String var : ConfigLoader.environmentVariables().keySet()) {
            assertThat(table).as("README.md").contains("`" + var + "`");
        }
    }
}
