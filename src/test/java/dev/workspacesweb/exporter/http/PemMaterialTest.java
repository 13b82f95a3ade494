package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the fixtures of src/test/resources/web-tls (made by its generate.sh with OpenSSL) and every refusal. */
class PemMaterialTest {
    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(SecureServers.fixtures().resolve(name));
    }

    private static PrivateKey key(String name) throws IOException {
        return PemMaterial.privateKey(fixture(name), name);
    }

    private static X509Certificate cert(String name) throws IOException {
        return PemMaterial.certificates(fixture(name), name).get(0);
    }

    @ParameterizedTest(name = "{1} ({2}) pairs with {0}")
    @CsvSource({
            "server.crt,         server.key,         RSA,   PKCS#8",
            "server.crt,         server-pkcs1.key,   RSA,   PKCS#1",
            "server-ec.crt,      server-ec.key,      EC,    SEC1",
            "server-ec.crt,      server-ec-pkcs8.key, EC,   PKCS#8",
            "server-ed25519.crt, server-ed25519.key, EdDSA, PKCS#8"})
    void everyKeyKindIsReadAsTheJdksOwnKeyAndPairsWithItsCertificate(String certName, String keyName, String algorithm,
            String form) throws IOException {
        PrivateKey key = key(keyName);
        assertThat(key.getAlgorithm()).as(form).isEqualTo(algorithm);
        assertThat(key.getClass().getName()).as("a JDK key, no BouncyCastle provider").startsWith("sun.security.");
        X509Certificate cert = cert(certName);
        PemMaterial.checkPair(key, keyName, cert, certName);
    }

    @Test
    void theTwoFormsOfAKeyAreTheSameKey() throws IOException {
        assertThat(key("server-pkcs1.key").getEncoded()).isEqualTo(key("server.key").getEncoded());
        assertThat(((ECPrivateKey) key("server-ec.key")).getS()).isEqualTo(((ECPrivateKey) key("server-ec-pkcs8.key")).getS());
    }

    @Test
    void aChainKeepsItsOrderAndSkipsOtherBlocks() throws IOException {
        byte[] chain = (new String(fixture("server.crt"), StandardCharsets.US_ASCII)
                + new String(fixture("server.key"), StandardCharsets.US_ASCII)
                + new String(fixture("ca.crt"), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        List<X509Certificate> certs = PemMaterial.certificates(chain, "chain.pem");
        assertThat(certs).extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=localhost", "CN=Test CA");
        // And the key in the same text is found by the key reader.
        assertThat(PemMaterial.privateKey(chain, "chain.pem").getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void unreadableTextsAreRefusedNamingTheFileAndNeverTheBytes() {
        String secret = "MC4CAQAwBQYDK2VwBCIEIMr+eTuWzKr6Z9+zCkvAof43u5Tq4LJzXujcXyL/ZtYx";
        assertThatThrownBy(() -> PemMaterial.privateKey(secret.getBytes(StandardCharsets.US_ASCII), "/etc/k.pem"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/etc/k.pem is not PEM (no -----BEGIN line)");
        byte[] truncated = ("-----BEGIN PRIVATE KEY-----\n" + secret.substring(0, 30) + "\n-----END PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PemMaterial.privateKey(truncated, "/etc/k.pem"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("/etc/k.pem holds a PEM private key that cannot be read")
                .message().doesNotContain(secret.substring(0, 30));
        byte[] noEnd = "-----BEGIN CERTIFICATE-----\nMIIB\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PemMaterial.certificates(noEnd, "/etc/c.pem"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("/etc/c.pem holds a PEM certificate that cannot be read");
    }

    @Test
    void theWrongKindOfBlockIsRefused() {
        assertThatThrownBy(() -> PemMaterial.certificates(fixture("server.key"), "server.key"))
                .hasMessage("server.key holds no readable PEM certificate (expected BEGIN CERTIFICATE)");
        assertThatThrownBy(() -> key("server.crt"))
                .hasMessageStartingWith("server.crt holds no PEM private key (expected BEGIN PRIVATE KEY");
    }

    @ParameterizedTest
    @CsvSource({"server-encrypted.key", "server-encrypted-pkcs1.key"})
    void encryptedKeysAreRefused(String name) {
        assertThatThrownBy(() -> key(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(name + " is encrypted; decrypt it");
    }

    @Test
    void aKeyThatCannotSignIsRefused() throws IOException {
        PrivateKey x25519 = key("x25519.key");
        assertThatThrownBy(() -> PemMaterial.checkPair(x25519, "x25519.key", cert("server.crt"), "server.crt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x25519.key holds a XDH key, which cannot serve TLS here; use RSA, EC or Ed25519");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws IOException {
        assertThatThrownBy(() -> PemMaterial.checkPair(key("server.key"), "server.key", cert("client.crt"), "client.crt"))
                .hasMessage("the private key in server.key does not belong to the certificate in client.crt");
        assertThatThrownBy(() -> PemMaterial.checkPair(key("server-ed25519.key"), "server-ed25519.key",
                cert("server-ec.crt"), "server-ec.crt"))
                .hasMessage("the private key in server-ed25519.key (EdDSA) does not match the public key of the "
                        + "certificate in server-ec.crt (EC)");
    }
}
