package dev.workspacesweb.exporter.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary credentials the simulated STS issued, by access key id: they tell the WorkSpaces Web routes in which
 * account a request acts. A key the STS never issued is a base identity of the default account.
 */
final class IssuedCredentials {

    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /** One AssumeRole answer. */
    record Issued(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
            String accountId, String roleArn, String assumedRoleArn, String assumedRoleId) {
    }

    private final Map<String, Issued> byAccessKey = new ConcurrentHashMap<>();
    private final SplittableRandom random;

    IssuedCredentials(long seed) {
        this.random = new SplittableRandom(seed ^ 0x5750_0000_0000_0001L);
    }

    /** New credentials for a role of {@code accountId}. */
    Issued issue(String accountId, String roleArn, String roleName, String sessionName, Instant expiration) {
        Issued issued;
        synchronized (random) {
            issued = new Issued("ASIA" + text(KEY_ALPHABET, 16), text(SECRET_ALPHABET, 40),
                    "FwoGZXIvYXdzE" + text(SECRET_ALPHABET, 300), expiration, accountId, roleArn,
                    "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName,
                    "AROA" + text(KEY_ALPHABET, 17) + ":" + sessionName);
        }
        byAccessKey.put(issued.accessKeyId(), issued);
        return issued;
    }

    /** The credentials issued under this access key id, if the STS issued it. */
    Optional<Issued> find(String accessKeyId) {
        return Optional.ofNullable(byAccessKey.get(accessKeyId));
    }

    private String text(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
