package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void matchesIpv4Networks() throws Exception {
        Cidr cidr = Cidr.parse("10.1.2.3/8");
        assertThat(cidr.network()).isEqualTo(InetAddress.getByName("10.0.0.0"));
        assertThat(cidr.prefixLength()).isEqualTo(8);
        assertThat(cidr.contains(InetAddress.getByName("10.255.0.1"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(cidr.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
    }

    @Test
    void matchesIpv6NetworksAndIpv4MappedAddresses() throws Exception {
        Cidr cidr = Cidr.parse("2001:db8::/32");
        assertThat(cidr.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("2001:db9::1"))).isFalse();
        Cidr mapped = Cidr.parse("::ffff:192.0.2.0/120");
        assertThat(mapped.contains(InetAddress.getByName("192.0.2.77"))).isTrue();
        assertThat(mapped.contains(InetAddress.getByName("192.0.3.77"))).isFalse();
    }

    @Test
    void zeroPrefixMatchesEverythingOfTheFamily() throws Exception {
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("198.51.100.7"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "256.0.0.0/8", "10.0.0.0/-1", "10.0.0.0/",
        "example.com/8", "2001:db8::/129", "2001:zz8::/32", "fe80::1%eth0/64", "/8", "10.0.0.0/8/8"})
    void rejectsWhatIsNotACidr(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text)).withMessageContaining("not a CIDR");
    }
}
