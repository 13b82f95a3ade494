package dev.workspacesweb.exporter.http;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM certificates and private keys, read with BouncyCastle's {@link PEMParser}: PKCS#8 ({@code BEGIN PRIVATE KEY}:
 * RSA, EC, Ed25519), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}, what
 * {@code openssl ecparam -genkey} writes and Go accepts). The keys and certificates are converted to the JDK's own
 * types (no BouncyCastle provider is installed), so JSSE serves them as it serves any key. Encrypted keys are refused,
 * as exporter-toolkit refuses them: there is nowhere to put a passphrase.
 *
 * <p>Messages never contain key material: they say which kind of problem, not what the bytes were.
 */
final class PemMaterial {
    private static final String KEY_KINDS = "BEGIN PRIVATE KEY (RSA, EC or Ed25519), BEGIN RSA PRIVATE KEY or "
            + "BEGIN EC PRIVATE KEY";

    private PemMaterial() {}

    /** Every certificate in a PEM text, in order (leaf first for a chain); other PEM blocks are skipped, as in Go. */
    static List<X509Certificate> certificates(byte[] pem, String what) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : blocks(pem, what, "certificate")) {
            if (block instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(what + " holds a certificate the JDK cannot read ("
                            + e.getMessage() + ")");
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(what + " holds no readable PEM certificate (expected BEGIN CERTIFICATE)");
        }
        return List.copyOf(certificates);
    }

    /** The first private key of a PEM text: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    static PrivateKey privateKey(byte[] pem, String what) {
        for (Object block : blocks(pem, what, "private key")) {
            PrivateKeyInfo info = switch (block) {
                case PEMKeyPair pair -> pair.getPrivateKeyInfo();
                case PrivateKeyInfo plain -> plain;
                case PEMEncryptedKeyPair encrypted -> throw encrypted(what);
                case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(what);
                default -> null;
            };
            if (info == null) {
                continue;
            }
            try {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            } catch (IOException e) {
                throw new IllegalArgumentException(what + " holds a private key of an unsupported kind ("
                        + info.getPrivateKeyAlgorithm().getAlgorithm() + "); use RSA, EC or Ed25519");
            }
        }
        throw new IllegalArgumentException(what + " holds no PEM private key (expected " + KEY_KINDS + ")");
    }

    /**
     * Fails unless {@code key} is the private half of {@code certificate}'s public key, as Go's
     * {@code tls.X509KeyPair} checks: a mismatch would otherwise only show as failing handshakes. Also refuses a key
     * kind that TLS cannot sign with here, so that the listener never starts with a key it cannot use.
     */
    static void checkPair(PrivateKey key, String keyWhat, X509Certificate certificate, String certWhat) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> throw new IllegalArgumentException(keyWhat + " holds a " + key.getAlgorithm()
                    + " key, which cannot serve TLS here; use RSA, EC or Ed25519");
        };
        String certAlgorithm = certificate.getPublicKey().getAlgorithm();
        if (!key.getAlgorithm().equals(certAlgorithm)) {
            throw new IllegalArgumentException("the private key in " + keyWhat + " (" + key.getAlgorithm()
                    + ") does not match the public key of the certificate in " + certWhat + " (" + certAlgorithm + ")");
        }
        boolean matches;
        try {
            byte[] probe = "workspaces-web-exporter key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("the private key in " + keyWhat
                    + " does not belong to the certificate in " + certWhat);
        }
    }

    /** The PEM blocks of a text as BouncyCastle's objects; a text that is not PEM or does not decode fails. */
    private static List<Object> blocks(byte[] pem, String what, String expected) {
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            Object block;
            while ((block = parser.readObject()) != null) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle names the block type and the decoding problem, never the bytes.
            throw new IllegalArgumentException(what + " holds a PEM " + expected + " that cannot be read ("
                    + e.getMessage() + ")");
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(what + " is not PEM (no -----BEGIN line)");
        }
        return blocks;
    }

    private static IllegalArgumentException encrypted(String what) {
        return new IllegalArgumentException(what + " is encrypted; decrypt it (openssl pkey -in key.pem -out plain.pem)");
    }
}
