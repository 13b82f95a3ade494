package dev.workspacesweb.exporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/** Plausible {@link Portal}s: the fields a real ListPortals fills, varied from portal to portal. */
final class PortalFactory {

    private static final String[] NAMES = {"Finance", "Engineering", "Contact Center", "Partners", "Legal",
        "Human Resources", "Sales", "Research", "Support", "Operations"};
    private static final String[] INSTANCE_TYPES = {"standard.regular", "standard.large", "standard.xlarge"};

    private PortalFactory() {
    }

    /**
     * @param expectedConcurrent sessions the portal is expected to hold at once, to size a believable
     *                           {@code maxConcurrentSessions} (which the simulator does not enforce)
     */
    static Portal create(int index, String accountId, String region, SplittableRandom random, long startedAtMillis,
            double expectedConcurrent) {
        String id = SessionIds.randomUuid(random);
        String prefix = "arn:aws:workspaces-web:" + region + ":" + accountId + ":";
        String name = NAMES[index % NAMES.length]
                + (index >= NAMES.length ? " " + (index / NAMES.length + 1) : "") + " portal";
        String endpoint = String.format("%010x", random.nextLong(1L << 40)) + ".workspaces-web.com";
        long created = startedAtMillis - Duration.ofDays(30 + random.nextInt(700)).toMillis()
                - random.nextLong(Duration.ofDays(1).toMillis());
        int maxConcurrent = (int) Math.min(5000, Math.max(25, Math.ceil(expectedConcurrent * 1.5 / 25) * 25));
        return new Portal(index, accountId, region, id, prefix + "portal/" + id, name, endpoint, Instant.ofEpochMilli(created),
                "AppStream", "Chrome", "Active", index % 3 == 2 ? "IAM_Identity_Center" : "Standard",
                INSTANCE_TYPES[index % INSTANCE_TYPES.length], maxConcurrent,
                prefix + "browserSettings/" + SessionIds.randomUuid(random),
                index % 3 == 0 ? prefix + "dataProtectionSettings/" + SessionIds.randomUuid(random) : null,
                prefix + "userSettings/" + SessionIds.randomUuid(random),
                index % 2 == 0 ? prefix + "networkSettings/" + SessionIds.randomUuid(random) : null,
                index % 4 == 1 ? prefix + "sessionLogger/" + SessionIds.randomUuid(random) : null,
                index % 3 == 1 ? prefix + "trustStore/" + SessionIds.randomUuid(random) : null,
                index % 2 == 1 ? prefix + "userAccessLoggingSettings/" + SessionIds.randomUuid(random) : null,
                index % 2 == 0 ? prefix + "ipAccessSettings/" + SessionIds.randomUuid(random) : null);
    }
}
