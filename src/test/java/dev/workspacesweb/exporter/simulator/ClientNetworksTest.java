package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workspacesweb.exporter.config.Cidr;
import dev.workspacesweb.exporter.config.IpLiteral;
import dev.workspacesweb.exporter.testing.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The networks the simulated client addresses come from ({@code simulator.client_networks}). */
class ClientNetworksTest {

    @Test
    void everyAddressOfTheWorkloadLiesInAConfiguredNetworkAndEveryNetworkIsUsed() {
        List<String> networks = List.of("81.2.69.0/24", "2003::/19", "198.51.100.7/32", "10.0.0.0/8");
        SimulatorSettings settings = Settings.busy(4).withClientNetworks(networks);
        ManualClock clock = new ManualClock();
        Workload workload = new Workload(settings, clock);
        clock.advance(Duration.ofHours(2));
        workload.catchUp();

        List<Cidr> cidrs = networks.stream().map(Cidr::parse).toList();
        Set<Cidr> used = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (PortalTruth portal : workload.truth().portals()) {
            for (SessionRecord s : portal.activeSessions()) {
                addresses.addAll(s.clientIpAddresses());
            }
            for (SessionRecord s : portal.endedSessions()) {
                addresses.addAll(s.clientIpAddresses());
            }
        }
        assertThat(addresses).hasSizeGreaterThan(50);
        for (String ip : addresses) {
            assertThat(ip.length()).as(ip).isLessThanOrEqualTo(ClientNetworks.MAX_ADDRESS_LENGTH);
            assertThat(IpLiteral.parse(ip)).as(ip).isPresent();
            Cidr in = cidrs.stream().filter(c -> c.contains(ip)).findFirst().orElse(null);
            assertThat(in).as("network of %s", ip).isNotNull();
            used.add(in);
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(cidrs);
    }

    @Test
    void theDefaultsSpanSeveralNetworksAndFitGetSessionsLimit() {
        ClientNetworks defaults = ClientNetworks.parse(SimulatorSettings.DEFAULT_CLIENT_NETWORKS);
        List<Cidr> cidrs = SimulatorSettings.DEFAULT_CLIENT_NETWORKS.stream().map(Cidr::parse).toList();
        SplittableRandom random = new SplittableRandom(1);
        Set<Cidr> used = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String ip = defaults.draw(random);
            assertThat(ip.length()).as(ip).isLessThanOrEqualTo(ClientNetworks.MAX_ADDRESS_LENGTH);
            cidrs.stream().filter(c -> c.contains(ip)).findFirst().ifPresentOrElse(used::add,
                    () -> { throw new AssertionError(ip + " is in no default network"); });
        }
        assertThat(used).hasSize(cidrs.size());
        assertThat(SimulatorSettings.defaults().clientNetworks()).isEqualTo(SimulatorSettings.DEFAULT_CLIENT_NETWORKS);
    }

    @Test
    void ipv6AddressesAreWrittenInTheirShortestForm() {
        assertThat(ClientNetworks.ipv6(IpLiteral.parse("2003:0:0:0:0:0:0:1a2b").orElseThrow())).isEqualTo("2003::1a2b");
        assertThat(ClientNetworks.ipv6(IpLiteral.parse("2001:db8:0:1:0:0:0:1").orElseThrow())).isEqualTo("2001:db8:0:1::1");
        assertThat(ClientNetworks.ipv6(IpLiteral.parse("2001:db8:0:0:1:0:0:1").orElseThrow())).isEqualTo("2001:db8::1:0:0:1");
        assertThat(ClientNetworks.ipv6(IpLiteral.parse("::1").orElseThrow())).isEqualTo("::1");
    }

    @Test
    void aNetworkThatIsNotOneOrWhoseAddressesAreTooLongIsRefusedByName() {
        assertThatThrownBy(() -> Settings.busy(1).withClientNetworks(List.of("81.2.69.0/24", "example.com/24")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'example.com/24'");
        assertThatThrownBy(() -> Settings.busy(1).withClientNetworks(List.of("81.2.69.0/33")))
                .hasMessageContaining("'81.2.69.0/33'").hasMessageContaining("0-32");
        assertThatThrownBy(() -> Settings.busy(1).withClientNetworks(List.of("2001:db8:1234::/48")))
                .hasMessageContaining("'2001:db8:1234::/48'").hasMessageContaining("15 characters");
        assertThatThrownBy(() -> Settings.busy(1).withClientNetworks(List.of()))
                .hasMessageContaining("at least one network");
    }
}
