package dev.workspacesweb.exporter.http;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.pki.PemReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys, read with Helidon's key utilities. Helidon reads PKCS#8 keys
 * ({@code BEGIN PRIVATE KEY}: RSA, EC, DSA) and PKCS#1 RSA keys ({@code BEGIN RSA PRIVATE KEY}), but not SEC1 EC
 * keys ({@code BEGIN EC PRIVATE KEY}, what {@code openssl ecparam -genkey} writes and Go accepts); those are re-wrapped
 * as PKCS#8 here. Encrypted keys are refused, as exporter-toolkit refuses them: there is nowhere to put a passphrase.
 *
 * <p>Messages never contain key material: they say which kind of problem, not what the bytes were.
 */
final class PemMaterial {
    private static final Pattern SEC1 = Pattern.compile(
            "-----BEGIN EC PRIVATE KEY-----\\s*(.*?)-----END EC PRIVATE KEY-----", Pattern.DOTALL);
    private static final Pattern ENCRYPTED = Pattern.compile("BEGIN ENCRYPTED PRIVATE KEY|Proc-Type:\\s*4,\\s*ENCRYPTED");
    /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey), the PKCS#8 algorithm of every EC key. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private PemMaterial() {}

    /** Every certificate in a PEM text, in order (leaf first for a chain). */
    static List<X509Certificate> certificates(byte[] pem, String what) {
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN")) {
            throw new IllegalArgumentException(what + " is not PEM (no -----BEGIN line)");
        }
        try {
            List<X509Certificate> certs = PemReader.readCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(what + " holds no certificate");
            }
            return List.copyOf(certs);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(what + " holds no readable PEM certificate (" + e.getMessage() + ")");
        }
    }

    /** The private key of a PEM text: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    static PrivateKey privateKey(byte[] pem, String what) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (ENCRYPTED.matcher(text).find()) {
            throw new IllegalArgumentException(what + " is encrypted; decrypt it (openssl pkey -in key.pem -out plain.pem)");
        }
        Matcher sec1 = SEC1.matcher(text);
        if (sec1.find()) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(sec1.group(1));
                return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(sec1ToPkcs8(der)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " holds an EC PRIVATE KEY that cannot be read");
            }
        }
        if (!text.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException(what + " holds no PEM private key (expected BEGIN PRIVATE KEY, "
                    + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
        }
        try {
            return Keys.builder()
                    .pem(p -> p.key(Resource.create(what, pem)))
                    .build()
                    .privateKey()
                    .orElseThrow(() -> new IllegalArgumentException(what + " holds no private key"));
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            // Helidon's messages name the format problem, never the key bytes.
            throw new IllegalArgumentException(what + " holds no readable private key (" + e.getMessage() + ")");
        }
    }

    /**
     * Fails unless {@code key} is the private half of {@code certificate}'s public key, as Go's
     * {@code tls.X509KeyPair} checks: a mismatch would otherwise only show as failing handshakes.
     */
    static void checkPair(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("the private key (" + key.getAlgorithm()
                    + ") does not match the certificate's public key (" + certificate.getPublicKey().getAlgorithm() + ")");
        }
        try {
            byte[] probe = "workspaces-web-exporter key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key does not belong to the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key does not belong to the certificate (" + e.getMessage() + ")");
        }
    }

    /**
     * SEC1 {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] namedCurve OID, [1] publicKey }}
     * to PKCS#8 {@code PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier { id-ecPublicKey, namedCurve }, OCTET
     * STRING { ECPrivateKey } }}: the curve moves into the algorithm identifier, where the JDK looks for it.
     */
    static byte[] sec1ToPkcs8(byte[] sec1) {
        Der outer = Der.read(sec1, 0);
        if (outer.tag() != 0x30) {
            throw new IllegalArgumentException("not a DER sequence");
        }
        byte[] curveOid = null;
        int at = outer.valueStart();
        while (at < outer.end()) {
            Der child = Der.read(sec1, at);
            if (child.tag() == 0xA0) {
                Der oid = Der.read(sec1, child.valueStart());
                if (oid.tag() != 0x06) {
                    throw new IllegalArgumentException("EC parameters are not a named curve");
                }
                curveOid = Arrays.copyOfRange(sec1, oid.start(), oid.end());
            }
            at = child.end();
        }
        if (curveOid == null) {
            throw new IllegalArgumentException("EC key without a named curve");
        }
        ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
        algorithm.writeBytes(EC_PUBLIC_KEY_OID);
        algorithm.writeBytes(curveOid);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(new byte[] {0x02, 0x01, 0x00});
        info.writeBytes(Der.encode(0x30, algorithm.toByteArray()));
        info.writeBytes(Der.encode(0x04, sec1));
        return Der.encode(0x30, info.toByteArray());
    }

    /** One DER element: tag at {@code start}, value from {@code valueStart} to {@code end}. */
    private record Der(int tag, int start, int valueStart, int end) {
        static Der read(byte[] der, int start) {
            if (start + 2 > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            int tag = der[start] & 0xFF;
            int first = der[start + 1] & 0xFF;
            int length;
            int valueStart;
            if (first < 0x80) {
                length = first;
                valueStart = start + 2;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 3 || start + 2 + count > der.length) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[start + 2 + i] & 0xFF);
                }
                valueStart = start + 2 + count;
            }
            if (valueStart + length > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(tag, start, valueStart, valueStart + length);
        }

        static byte[] encode(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
            out.write(tag);
            int n = value.length;
            if (n < 0x80) {
                out.write(n);
            } else if (n < 0x100) {
                out.write(0x81);
                out.write(n);
            } else {
                out.write(0x82);
                out.write(n >> 8);
                out.write(n & 0xFF);
            }
            out.writeBytes(value);
            return out.toByteArray();
        }
    }
}
