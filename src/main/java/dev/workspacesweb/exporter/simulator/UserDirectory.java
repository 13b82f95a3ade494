package dev.workspacesweb.exporter.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The user population shared by all portals: e-mail style usernames (some with non-ASCII letters) and, per user, a
 * small pool of client addresses a session draws its {@code clientIpAddresses} from. The first address of every pool
 * comes from a few shared office NATs, so several users show up behind one address as in a real company; the others
 * are the user's own home/mobile addresses, IPv4 or a short IPv6 form that fits the model's 15-character limit.
 * Usernames given by test hooks are added on demand. Not thread-safe: used under the {@link Workload}'s lock.
 */
final class UserDirectory {

    private static final String[] FIRST = {
        "anna", "ben", "chloé", "david", "elif", "françois", "grace", "hiroshi", "ingrid", "jürgen", "karim", "lena",
        "marta", "nikolaj", "olivia", "pablo", "quentin", "raúl", "søren", "tomás", "ursula", "vikram", "wei",
        "xavier", "yasmin", "zoë", "łukasz", "ayşe", "björn", "siobhán", "maría", "noah", "emma", "liam", "mia",
        "oscar", "priya", "sara", "jonas", "fatima"};
    private static final String[] LAST = {
        "müller", "garcía", "smith", "nguyen", "kowalski", "rossi", "dubois", "jensen", "tanaka", "okafor", "silva",
        "novák", "schmidt", "johansson", "o'brien", "yılmaz", "papadopoulos", "fernández", "kim", "brown", "wang",
        "lefèvre", "andersen", "costa", "ivanova", "moreau", "larsen", "patel", "weiß", "håkansson"};
    private static final String[] DOMAINS = {"example.com", "example.org", "corp.example.net", "beispiel.de",
        "exemple.fr"};
    /** Scripts other than Latin for a few users, so non-ASCII usernames go beyond diacritics. */
    private static final String[] OTHER_SCRIPT = {"王芳", "李雷", "佐藤花子", "김민준", "αλέξης", "дмитрий"};
    private static final int[] PUBLIC_FIRST_OCTETS = {24, 31, 46, 62, 78, 81, 84, 86, 90, 92, 95, 109, 151, 176, 185,
        188, 212, 213, 217};

    private final List<String> names = new ArrayList<>();
    private final List<String[]> pools = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final long seed;
    private final int poolSize;
    private final String[] officeNats;

    UserDirectory(long seed, int users, int maxIpsPerSession) {
        this.seed = seed;
        this.poolSize = Math.max(1, Math.min(maxIpsPerSession, 45));
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_0F_0FF1CEL);
        officeNats = new String[Math.max(1, users / 8)];
        for (int i = 0; i < officeNats.length; i++) {
            officeNats[i] = switch (i % 3) {
                case 0 -> "203.0.113." + (1 + random.nextInt(254));
                case 1 -> "198.51.100." + (1 + random.nextInt(254));
                default -> "192.0.2." + (1 + random.nextInt(254));
            };
        }
        for (int i = 0; i < users; i++) {
            String name;
            if (random.nextInt(40) == 0) {
                name = OTHER_SCRIPT[random.nextInt(OTHER_SCRIPT.length)] + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
            } else {
                name = FIRST[random.nextInt(FIRST.length)] + "." + LAST[random.nextInt(LAST.length)] + "@"
                        + DOMAINS[random.nextInt(DOMAINS.length)];
            }
            String unique = name;
            for (int n = 2; byName.containsKey(unique); n++) {
                int at = name.indexOf('@');
                unique = name.substring(0, at) + n + name.substring(at);
            }
            add(unique, random);
        }
    }

    int size() {
        return names.size();
    }

    int poolSize() {
        return poolSize;
    }

    String name(int user) {
        return names.get(user);
    }

    /** The user's index, or -1 if nobody of that name ever had a session. */
    int find(String username) {
        Integer index = byName.get(username);
        return index == null ? -1 : index;
    }

    /** The user's index, adding the user (with an address pool derived from the name) if new. */
    int intern(String username) {
        Integer index = byName.get(username);
        if (index != null) {
            return index;
        }
        long h = seed;
        for (byte b : username.getBytes(StandardCharsets.UTF_8)) {
            h = h * 31 + b;
        }
        return add(username, new SplittableRandom(h));
    }

    String[] addresses(Session session) {
        if (session.ipOverride != null) {
            return session.ipOverride;
        }
        String[] pool = pools.get(session.user);
        String[] out = new String[session.ipCount];
        for (int i = 0; i < out.length; i++) {
            out[i] = pool[(session.ipOffset + i) % pool.length];
        }
        return out;
    }

    private int add(String name, SplittableRandom random) {
        String[] pool = new String[poolSize];
        pool[0] = officeNats[random.nextInt(officeNats.length)];
        for (int i = 1; i < poolSize; i++) {
            String candidate;
            do {
                candidate = random.nextInt(5) == 0
                        ? "2001:db8::" + Integer.toHexString(1 + random.nextInt(0xFFFF))
                        : PUBLIC_FIRST_OCTETS[random.nextInt(PUBLIC_FIRST_OCTETS.length)] + "." + random.nextInt(256)
                                + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            } while (contains(pool, i, candidate));
            pool[i] = candidate;
        }
        int index = names.size();
        names.add(name);
        pools.add(pool);
        byName.put(name, index);
        return index;
    }

    private static boolean contains(String[] pool, int upTo, String candidate) {
        for (int i = 0; i < upTo; i++) {
            if (pool[i].equals(candidate)) {
                return true;
            }
        }
        return false;
    }
}
