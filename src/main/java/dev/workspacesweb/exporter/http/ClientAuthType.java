package dev.workspacesweb.exporter.http;

import io.helidon.common.tls.TlsClientAuth;

/**
 * {@code tls_server_config.client_auth_type}, with exporter-toolkit's (Go's {@code tls.ClientAuthType}) names, mapped
 * onto JSSE: whether a client certificate is asked for, required, and checked against {@code client_ca_file}.
 */
enum ClientAuthType {
    /** No client certificate is asked for. */
    NO_CLIENT_CERT("NoClientCert", TlsClientAuth.NONE, false),
    /** A certificate is asked for but neither required nor verified: identifies, does not authenticate. */
    REQUEST_CLIENT_CERT("RequestClientCert", TlsClientAuth.OPTIONAL, false),
    /** A certificate is required but not verified: any self-signed certificate passes. */
    REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", TlsClientAuth.REQUIRED, false),
    /** A certificate is optional; if sent, it must chain to the client CA. */
    VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", TlsClientAuth.OPTIONAL, true),
    /** mTLS: a certificate chaining to the client CA is required. The only value that authenticates clients. */
    REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", TlsClientAuth.REQUIRED, true);

    private final String configName;
    private final TlsClientAuth helidon;
    private final boolean verifies;

    ClientAuthType(String configName, TlsClientAuth helidon, boolean verifies) {
        this.configName = configName;
        this.helidon = helidon;
        this.verifies = verifies;
    }

    /** The exporter-toolkit name, e.g. {@code RequireAndVerifyClientCert}. */
    String configName() {
        return configName;
    }

    TlsClientAuth helidon() {
        return helidon;
    }

    /** Whether presented certificates are verified against the client CA (otherwise any certificate is accepted). */
    boolean verifies() {
        return verifies;
    }

    /** Whether the handshake fails without a client certificate. */
    boolean requiresCertificate() {
        return helidon == TlsClientAuth.REQUIRED;
    }

    /**
     * @return the type, or null for an unknown name. {@code RequireClientCert} is exporter-toolkit's old name for
     *     {@code RequireAnyClientCert}, accepted for the same compatibility; empty means the default.
     */
    static ClientAuthType byConfigName(String name) {
        if (name.isEmpty()) {
            return NO_CLIENT_CERT;
        }
        if (name.equals("RequireClientCert")) {
            return REQUIRE_ANY_CLIENT_CERT;
        }
        for (ClientAuthType t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
