package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LauncherTest {
    @Test
    void readsTheFeatureReleaseOfEverySpecificationVersionScheme() {
        assertThat(Launcher.feature("1.8")).isEqualTo(8);
        assertThat(Launcher.feature("17")).isEqualTo(17);
        assertThat(Launcher.feature("21")).isEqualTo(21);
        assertThat(Launcher.feature("25.0")).isEqualTo(25);
    }

    @Test
    void theMessageSaysWhatIsNeededWhatRunsAndHowToFixIt() {
        assertThat(Launcher.message(17, "/usr/lib/jvm/java-17-openjdk-amd64"))
                .contains("needs Java 21 or newer", "this is Java 17", "/usr/lib/jvm/java-17-openjdk-amd64", "-jar");
    }
}
