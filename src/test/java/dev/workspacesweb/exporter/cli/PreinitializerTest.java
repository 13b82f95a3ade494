package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The preinitializer runs for the agent's start-up only: other commands do not pay for classes they never use. */
class PreinitializerTest {
    @Test
    void runsForTheAgentWhateverItsOptions() {
        assertThat(Preinitializer.runsTheAgent(new String[] {})).isTrue();
        assertThat(Preinitializer.runsTheAgent(new String[] {"run"})).isTrue();
        assertThat(Preinitializer.runsTheAgent(new String[] {"--config", "my.yaml"})).isTrue();
        assertThat(Preinitializer.runsTheAgent(new String[] {"--config=my.yaml", "--log.level", "debug", "run"})).isTrue();
    }

    @Test
    void notForHelpVersionOrAnotherCommand() {
        assertThat(Preinitializer.runsTheAgent(new String[] {"--version"})).isFalse();
        assertThat(Preinitializer.runsTheAgent(new String[] {"-h"})).isFalse();
        assertThat(Preinitializer.runsTheAgent(new String[] {"run", "--help"})).isFalse();
        assertThat(Preinitializer.runsTheAgent(new String[] {"check-config"})).isFalse();
        assertThat(Preinitializer.runsTheAgent(new String[] {"--config", "my.yaml", "sessions", "list"})).isFalse();
    }
}
