package dev.workspacesweb.exporter.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque {@code nextToken}s: a cursor (the last item of the page), the operation, portal and filters it was issued
 * for and its issue time, authenticated with an HMAC under a key random per simulator instance. A token that was
 * altered, forged, issued by another simulator instance, issued for other filters or another portal, or older than
 * {@link Workload#tokenLifetime()} is rejected with ValidationException, as the service does.
 */
final class PageTokens {

    static final byte LIST_SESSIONS = 1;
    static final byte LIST_PORTALS = 2;

    private static final byte VERSION = 1;
    private static final int PAYLOAD = 1 + 1 + 4 + 8 + 8 + 8 + 8;
    private static final int MAC_BYTES = 16;

    private final byte[] key = new byte[32];

    PageTokens() {
        new SecureRandom().nextBytes(key);
    }

    /** What a token carries besides its issue time. */
    record Position(byte operation, int portalIndex, long filterDigest, long hi, long lo) {
    }

    String issue(Position position, long nowMillis) {
        ByteBuffer buffer = ByteBuffer.allocate(PAYLOAD + MAC_BYTES);
        buffer.put(VERSION).put(position.operation()).putInt(position.portalIndex()).putLong(position.filterDigest())
                .putLong(position.hi()).putLong(position.lo()).putLong(nowMillis);
        buffer.put(mac(buffer.array(), PAYLOAD));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** The cursor of a valid token issued for the same operation, portal and filters. */
    Position read(String token, byte operation, int portalIndex, long filterDigest, long nowMillis) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length != PAYLOAD + MAC_BYTES
                || !MessageDigest.isEqual(mac(bytes, PAYLOAD), Arrays.copyOfRange(bytes, PAYLOAD, bytes.length))) {
            throw invalid();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != VERSION) {
            throw invalid();
        }
        Position position = new Position(buffer.get(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
                buffer.getLong());
        long issuedAt = buffer.getLong();
        if (position.operation() != operation || position.portalIndex() != portalIndex
                || position.filterDigest() != filterDigest) {
            throw ApiException.validation(
                    "The pagination token was issued for a different request. Repeat the parameters of the first "
                            + "request with the token.");
        }
        if (nowMillis - issuedAt > Workload.tokenLifetime().toMillis()) {
            throw expired();
        }
        return position;
    }

    static ApiException expired() {
        return ApiException.validation("The pagination token has expired.");
    }

    static long digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part == null ? new byte[] {0} : ("\u0001" + part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1F);
            }
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException invalid() {
        return ApiException.validation("Invalid pagination token.");
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
