package dev.workspacesweb.exporter.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The user population shared by all portals: e-mail style usernames (some with non-ASCII letters) and, per user, a
 * small pool of client addresses a session draws its {@code clientIpAddresses} from, all drawn from
 * {@code simulator.client_networks}. The first address of every pool is one of a few shared office NATs, so several
 * users show up behind one address as in a real company; the others are the user's own home/mobile addresses.
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

    private final List<String> names = new ArrayList<>();
    private final List<String[]> pools = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final long seed;
    private final int poolSize;
    private final String[] officeNats;
    private final ClientNetworks networks;

    UserDirectory(long seed, int users, int maxIpsPerSession, ClientNetworks networks) {
        this.seed = seed;
        this.networks = networks;
        this.poolSize = Math.max(1, Math.min(maxIpsPerSession, 45));
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_0F_0FF1CEL);
        officeNats = new String[Math.max(1, users / 8)];
        for (int i = 0; i < officeNats.length; i++) {
            officeNats[i] = networks.draw(random);
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
            int tries = 0;
            do {
                candidate = networks.draw(random);
                // A list of a few small networks may not hold poolSize distinct addresses: then a repeat is fine.
            } while (contains(pool, i, candidate) && ++tries < 20);
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
