package dev.workspacesweb.exporter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {

    @ParameterizedTest
    @CsvSource({
        "203.0.113.0/24, 203.0.113.0, true",
        "203.0.113.0/24, 203.0.113.255, true",
        "203.0.113.0/24, 203.0.114.0, false",
        "203.0.113.0/24, 203.0.112.255, false",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "10.1.2.3/8, 10.9.9.9, true",          // host bits ignored
        "0.0.0.0/0, 198.51.100.7, true",
        "0.0.0.0/0, 2001:db8::1, false",        // an IPv4 network holds no IPv6 address
        "198.51.100.7/32, 198.51.100.7, true",
        "198.51.100.7/32, 198.51.100.8, false",
        "192.168.0.0/23, 192.168.1.200, true",  // prefix not on an octet boundary
        "192.168.0.0/23, 192.168.2.0, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "203.0.113.0/24, ::ffff:203.0.113.9, true",   // IPv4-mapped client
        "203.0.113.0/24, ::FFFF:cb00:7109, true",     // the same, in hex groups
        "::ffff:203.0.113.0/120, 203.0.113.9, true",  // IPv4-mapped network
        "::ffff:203.0.113.0/120, 203.0.114.9, false",
        "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32, 2001:db9::, false",
        "2001:db8::/32, 2001:DB8::1, true",
        "2001:db8:abcd:12::/63, 2001:db8:abcd:13:1::, true",
        "2001:db8:abcd:12::/63, 2001:db8:abcd:14::, false",
        "::/0, 2001:db8::1, true",
        "::/0, 203.0.113.1, false",             // an IPv6 network holds no IPv4 address
        "::1/128, ::1, true",
        "::1/128, ::2, false",
        "fe80::/10, febf::1, true",
        "fe80::/10, fec0::1, false",
        "64:ff9b::/96, 64:ff9b::192.0.2.33, true", // embedded IPv4 tail, not mapped
    })
    void matchesAddresses(String cidr, String address, boolean expected) {
        assertThat(CidrBlock.parse(cidr).contains(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cafe", "abc", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4",
        "1.2.3.04", "1..2.3", " ", "1.2.3.4 ", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "1:::2", ":1::2",
        "1::2:", "12345::", "::g", "fe80::1%eth0", "1.2.3.4::", "::1.2.3", "1:2:3:4:5:6:7:8::", "١.٢.٣.٤", "１.2.3.4",
        "2001:db8::/32"})
    void neverMatchesWhatIsNotAnAddressLiteral(String address) {
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(address)).isFalse();
        assertThat(CidrBlock.parse("::/0").contains(address)).isFalse();
        assertThat(IpLiteral.parse(address)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "::|00000000000000000000000000000000",
        "::1|00000000000000000000000000000001",
        "1::|00010000000000000000000000000000",
        "1:2:3:4:5:6:7:8|00010002000300040005000600070008",
        "1:2:3:4:5:6:7::|00010002000300040005000600070000",
        "::2:3:4:5:6:7:8|00000002000300040005000600070008",
        "fe80::1:2|fe800000000000000000000000010002",
        "::192.0.2.1|000000000000000000000000c0000201",
        "1:2:3:4:5:6:1.2.3.4|00010002000300040005000601020304",
        "::ffff:1.2.3.4|01020304",
        "1.2.3.4|01020304",
        "0.0.0.0|00000000",
        "255.255.255.255|ffffffff",
    })
    void parsesLiterals(String literal, String hex) {
        assertThat(IpLiteral.parse(literal)).hasValueSatisfying(bytes -> assertThat(toHex(bytes)).isEqualTo(hex));
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.0", "203.0.113.0/33", "2001:db8::/129", "203.0.113.0/-1", "203.0.113.0/",
        "/24", "203.0.113.0/2 4", "example.com/24", "cafe/16", "::ffff:1.2.3.4/95", "10.0.0.0/08x", "10.0.0.0/٨"})
    void rejectsBadNetworks(String cidr) {
        assertThatThrownBy(() -> CidrBlock.parse(cidr))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CIDR");
    }

    @Test
    void keepsTheTextAsWritten() {
        assertThat(CidrBlock.parse(" 2001:db8::/32 ")).hasToString("2001:db8::/32");
        assertThat(CidrBlock.parse("::ffff:203.0.113.0/120").prefixLength()).isEqualTo(24);
    }

    private static String toHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}
