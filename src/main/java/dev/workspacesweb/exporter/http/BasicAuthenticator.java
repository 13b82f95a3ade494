package dev.workspacesweb.exporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an {@code Authorization: Basic ...} header against {@code basic_auth_users} (bcrypt hashes, {@code $2a$},
 * {@code $2b$} or {@code $2y$}).
 *
 * <p><b>No timing difference between an unknown user and a wrong password.</b> A well-formed header always costs one
 * bcrypt verification: against the user's hash, or, for an unknown user, against a dummy hash made at start-up with
 * the highest cost among the configured hashes (the cost is what sets bcrypt's time). Both go through the same code
 * below: look the hash up (the dummy when absent), consult the cache, verify, and only then combine with "is the user
 * known". If users have different costs, the dummy matches the slowest, so a low-cost user answers faster than an
 * unknown one: keep one cost for all users (a warning is logged otherwise). Only a malformed header (not Basic, not
 * base64, no colon) is refused without bcrypt, which says nothing about users.
 *
 * <p><b>Cache.</b> bcrypt is deliberately slow (about 70 ms at cost 10), and Prometheus scrapes every few seconds, so
 * successful checks are cached, as exporter-toolkit does, keyed by an HMAC-SHA-256 (with a per-process random key)
 * of user, hash and password; the password itself is never kept. Only successes are cached, so the cache cannot leak
 * timing to someone without the password: their requests always miss and always pay one bcrypt; a hit needs the exact
 * right password, and then the 200 says as much as the speed. The random HMAC key means a memory dump holds no plain
 * SHA-256 of a password to look up in precomputed tables. The cache is bounded (least recently used out).
 *
 * <p><b>CPU.</b> Verifications run one at a time (as exporter-toolkit does), so a flood of bad credentials uses one
 * core, not all; cached scrapes do not wait.
 */
final class BasicAuthenticator {
    /** The challenge sent with every 401. */
    static final String CHALLENGE = "Basic realm=\"workspaces-web-exporter\"";

    private static final int CACHE_ENTRIES = 256;
    private static final System.Logger LOG = System.getLogger(BasicAuthenticator.class.getName());

    private final Map<String, byte[]> hashes;
    private final byte[] dummyHash;
    private final BiPredicate<byte[], byte[]> verifier;
    private final ReentrantLock bcryptLock = new ReentrantLock();
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Boolean> successes = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private final ReentrantLock cacheLock = new ReentrantLock();

    /** @param users user name to bcrypt hash, already checked for format by {@link WebConfig} */
    BasicAuthenticator(Map<String, String> users) {
        this(users, bcrypt());
    }

    /** Longer passwords are cut at bcrypt's 72-byte limit, as htpasswd and OpenBSD do, instead of failing. */
    private static BiPredicate<byte[], byte[]> bcrypt() {
        BCrypt.Verifyer verifyer = BCrypt.verifyer(BCrypt.Version.VERSION_2A,
                LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));
        return (password, hash) -> verifyer.verify(password, hash).verified;
    }

    /**
     * @param verifier whether a password matches a bcrypt hash: the work every attempt costs, which the
     *                 authenticator spends alike for unknown users and wrong passwords
     */
    BasicAuthenticator(Map<String, String> users, BiPredicate<byte[], byte[]> verifier) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no users");
        }
        Map<String, byte[]> h = new LinkedHashMap<>();
        users.forEach((user, hash) -> h.put(user, hash.getBytes(StandardCharsets.US_ASCII)));
        this.hashes = Map.copyOf(h);
        int maxCost = users.values().stream().mapToInt(BasicAuthenticator::cost).max().orElseThrow();
        if (users.values().stream().mapToInt(BasicAuthenticator::cost).distinct().count() > 1) {
            LOG.log(System.Logger.Level.WARNING, "basic_auth_users have different bcrypt costs: an unknown user is "
                    + "checked at the highest ({0}), so response times tell low-cost users apart; use one cost", maxCost);
        }
        SecureRandom random = new SecureRandom();
        random.nextBytes(cacheKey);
        byte[] dummyPassword = new byte[16];
        random.nextBytes(dummyPassword);
        this.dummyHash = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(maxCost, dummyPassword);
        this.verifier = verifier;
    }

    /**
     * @param authorization the {@code Authorization} header value, or null when absent
     * @return whether it names a configured user with the right password
     */
    boolean authenticate(String authorization) {
        Credentials credentials = Credentials.parse(authorization);
        if (credentials == null) {
            return false;
        }
        byte[] userHash = hashes.get(credentials.user());
        boolean known = userHash != null;
        byte[] hash = known ? userHash : dummyHash;
        String key = cacheKey(credentials, hash);
        if (cached(key)) {
            return known;
        }
        boolean verified = verify(credentials.password(), hash);
        boolean ok = known && verified;
        if (ok) {
            remember(key);
        }
        return ok;
    }

    private boolean verify(byte[] password, byte[] hash) {
        bcryptLock.lock();
        try {
            return verifier.test(password, hash);
        } finally {
            bcryptLock.unlock();
        }
    }

    private boolean cached(String key) {
        cacheLock.lock();
        try {
            return successes.get(key) != null;
        } finally {
            cacheLock.unlock();
        }
    }

    private void remember(String key) {
        cacheLock.lock();
        try {
            successes.put(key, Boolean.TRUE);
        } finally {
            cacheLock.unlock();
        }
    }

    private String cacheKey(Credentials credentials, byte[] hash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            byte[] user = credentials.user().getBytes(StandardCharsets.UTF_8);
            // Length-prefixed fields: ("ab", "c") and ("a", "bc") must not collide.
            for (byte[] field : new byte[][] {user, hash, credentials.password()}) {
                mac.update(ByteBuffer.allocate(4).putInt(field.length).array());
                mac.update(field);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    private static int cost(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
    }

    /** A decoded {@code Basic} header: the user name (UTF-8) and the password bytes as sent. */
    private record Credentials(String user, byte[] password) {
        static Credentials parse(String header) {
            if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(header.substring(6).strip());
            } catch (IllegalArgumentException e) {
                return null;
            }
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] == ':') {
                    String user = new String(decoded, 0, i, StandardCharsets.UTF_8);
                    byte[] password = new byte[decoded.length - i - 1];
                    System.arraycopy(decoded, i + 1, password, 0, password.length);
                    return new Credentials(user, password);
                }
            }
            return null;
        }
    }
}
