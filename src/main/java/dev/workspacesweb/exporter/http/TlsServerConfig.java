package dev.workspacesweb.exporter.http;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsConfig;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLParameters;

/**
 * {@code tls_server_config} after loading: the key material is already read and checked, so building the server's
 * {@link Tls} cannot fail on a file.
 *
 * @param privateKey       the server key
 * @param certChain        the server certificate first, then intermediates
 * @param clientCas        trusted issuers of client certificates (empty unless {@code clientAuth.verifies()})
 * @param clientAuth       {@code client_auth_type}
 * @param protocols        JSSE protocol names from {@code min_version} to {@code max_version}
 * @param cipherSuites     JSSE cipher suite names, empty for the JDK's defaults
 * @param namedGroups      JSSE named groups from {@code curve_preferences}, empty for the JDK's defaults
 * @param preferServerCipherSuites {@code prefer_server_cipher_suites}
 * @param clientAllowedSans {@code client_allowed_sans}, empty when any (acceptable) client certificate may connect
 */
record TlsServerConfig(PrivateKey privateKey, List<X509Certificate> certChain, List<X509Certificate> clientCas,
        ClientAuthType clientAuth, List<String> protocols, List<String> cipherSuites, List<String> namedGroups,
        boolean preferServerCipherSuites, List<String> clientAllowedSans) {

    TlsServerConfig {
        certChain = List.copyOf(certChain);
        clientCas = List.copyOf(clientCas);
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        namedGroups = List.copyOf(namedGroups);
        clientAllowedSans = List.copyOf(clientAllowedSans);
    }

    /** Without the key: a record's generated toString would print it. */
    @Override
    public String toString() {
        return "TlsServerConfig[certificate=" + certChain.get(0).getSubjectX500Principal() + ", clientAuth="
                + clientAuth.configName() + ", protocols=" + protocols + ", cipherSuites=" + cipherSuites
                + ", namedGroups=" + namedGroups + ", clientAllowedSans=" + clientAllowedSans + "]";
    }

    /** The Helidon TLS of the listener. */
    Tls toHelidon() {
        TlsConfig.Builder builder = Tls.builder()
                .privateKey(privateKey)
                .privateKeyCertChain(certChain)
                .clientAuth(clientAuth.helidon())
                .enabledProtocols(protocols)
                .sslParameters(sslParameters());
        if (clientAuth.verifies()) {
            builder.trust(clientCas);
        } else if (clientAuth != ClientAuthType.NO_CLIENT_CERT) {
            // RequestClientCert and RequireAnyClientCert take any certificate, as in Go: identification, not trust.
            builder.trustAll(true);
        }
        return builder.build();
    }

    /**
     * All handshake parameters in one place. Given explicitly, Helidon uses them as they are instead of deriving
     * them from its own options, so curve preferences and cipher order are not lost.
     */
    private SSLParameters sslParameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(protocols.toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            p.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        if (!namedGroups.isEmpty()) {
            p.setNamedGroups(namedGroups.toArray(String[]::new));
        }
        p.setUseCipherSuitesOrder(preferServerCipherSuites);
        switch (clientAuth.helidon()) {
            case REQUIRED -> p.setNeedClientAuth(true);
            case OPTIONAL -> p.setWantClientAuth(true);
            case NONE -> {
                p.setNeedClientAuth(false);
                p.setWantClientAuth(false);
            }
        }
        return p;
    }
}
