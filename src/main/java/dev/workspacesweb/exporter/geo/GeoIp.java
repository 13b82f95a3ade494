package dev.workspacesweb.exporter.geo;

import com.maxmind.geoip2.exception.GeoIp2Exception;
import dev.workspacesweb.exporter.config.IpLiteral;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's GeoIP databases (country and/or ASN, each optional) and the memo of their answers.
 *
 * <p>Each client IP is looked up once, the first time a poll asks for it ({@link #locate}), and remembered; the
 * scrape path never looks anything up. The memo keeps the answers of the addresses in use: it is started afresh when
 * it grows past {@link #MEMO_ENTRIES}, with the answers of the previous generation moved over as they are asked for
 * again, so addresses no longer seen are forgotten.
 *
 * <p>Databases are replaced on disk by tools like geoipupdate (write, then rename). {@link #refresh()}, called before
 * each poll's lookups, notices a changed file and loads it: from then on every answer comes from the new database
 * (the memo starts afresh). A replacement that cannot be used keeps the previous database; it is logged once and
 * tried again when the file changes again.
 */
public final class GeoIp {
    /** The country and the ASN label value of an address no database knows (private, reserved, unallocated). */
    public static final String UNKNOWN = "unknown";
    static final int MEMO_ENTRIES = 1 << 16;

    private static final System.Logger LOG = System.getLogger(GeoIp.class.getName());

    /**
     * Where an address is.
     *
     * @param country ISO 3166-1 alpha-2 code, or {@link #UNKNOWN} (also when no country database is configured)
     * @param asn     the autonomous system number as text, or {@link #UNKNOWN} (also when no ASN database is configured)
     * @param asOrg   the autonomous system's organization, empty when unknown
     */
    public record Place(String country, String asn, String asOrg) {
        static final Place NOWHERE = new Place(UNKNOWN, UNKNOWN, "");
    }

    /** The databases in use and the memo of their answers: replaced whole when a database changes. */
    private record Loaded(GeoDatabase country, GeoDatabase asn, Memo memo) {}

    private static final class Memo {
        volatile ConcurrentHashMap<String, Place> current = new ConcurrentHashMap<>();
        volatile ConcurrentHashMap<String, Place> previous = new ConcurrentHashMap<>();
    }

    private final Path countryPath;
    private final Path asnPath;
    private volatile Loaded loaded;
    /** Per database, the stamp of a replacement that failed to load: logged once, tried again when it changes. */
    private final ConcurrentHashMap<GeoDatabase.Kind, GeoDatabase.FileStamp> rejected = new ConcurrentHashMap<>();

    private GeoIp(Path countryPath, Path asnPath, Loaded loaded) {
        this.countryPath = countryPath;
        this.asnPath = asnPath;
        this.loaded = loaded;
    }

    /**
     * Loads the configured databases.
     *
     * @param countryDatabase the country (or city) database, or null for none
     * @param asnDatabase     the ASN database, or null for none
     * @throws GeoDatabaseException when a configured database is missing, unreadable or of the wrong kind
     */
    public static GeoIp open(Path countryDatabase, Path asnDatabase) throws GeoDatabaseException {
        GeoDatabase country = countryDatabase == null ? null : GeoDatabase.open(GeoDatabase.Kind.COUNTRY, countryDatabase);
        GeoDatabase asn = asnDatabase == null ? null : GeoDatabase.open(GeoDatabase.Kind.ASN, asnDatabase);
        for (GeoDatabase db : new GeoDatabase[] {country, asn}) {
            if (db != null) {
                LOG.log(Level.INFO, "GeoIP {0} database {1}: {2}, built {3}", db.kind().label(), db.path(),
                        db.databaseType(), db.buildTime());
            }
        }
        return new GeoIp(countryDatabase, asnDatabase, new Loaded(country, asn, new Memo()));
    }

    public boolean hasCountry() {
        return countryPath != null;
    }

    public boolean hasAsn() {
        return asnPath != null;
    }

    /** The build time recorded in the loaded database of that kind, if one is configured. */
    public Optional<Instant> buildTime(GeoDatabase.Kind kind) {
        Loaded l = loaded;
        GeoDatabase db = kind == GeoDatabase.Kind.COUNTRY ? l.country() : l.asn();
        return db == null ? Optional.empty() : Optional.of(db.buildTime());
    }

    /**
     * Loads any database whose file changed since it was loaded. Cheap when nothing changed (one {@code stat} per
     * database). Safe to call from several threads: a change is loaded once.
     */
    public void refresh() {
        Loaded l = loaded;
        GeoDatabase country = changed(l.country(), countryPath, GeoDatabase.Kind.COUNTRY);
        GeoDatabase asn = changed(l.asn(), asnPath, GeoDatabase.Kind.ASN);
        if (country == null && asn == null) {
            return;
        }
        synchronized (this) {
            Loaded now = loaded;
            if (now != l) {
                return; // another thread loaded it meanwhile
            }
            loaded = new Loaded(country != null ? country : now.country(), asn != null ? asn : now.asn(), new Memo());
        }
    }

    /** The database at {@code path} if its file changed since {@code current} was read and it loads; else null. */
    private GeoDatabase changed(GeoDatabase current, Path path, GeoDatabase.Kind kind) {
        if (path == null) {
            return null;
        }
        GeoDatabase.FileStamp stamp;
        try {
            stamp = GeoDatabase.FileStamp.of(path);
        } catch (IOException e) {
            // Between the unlink and the rename of a replacement, or removed: keep the loaded one.
            return null;
        }
        if (stamp.equals(current.stamp()) || stamp.equals(rejected.get(kind))) {
            return null;
        }
        try {
            GeoDatabase fresh = GeoDatabase.open(kind, path);
            rejected.remove(kind);
            LOG.log(Level.INFO, "GeoIP {0} database {1} replaced: {2}, built {3}", kind.label(), path,
                    fresh.databaseType(), fresh.buildTime());
            return fresh;
        } catch (GeoDatabaseException e) {
            // Only a file not seen before gets here, so each bad replacement is logged once.
            rejected.put(kind, stamp);
            LOG.log(Level.WARNING, "GeoIP {0} database: the replacement {1}; keeping the database built {2} "
                    + "until the file changes again", kind.label(), e.getMessage(), current.buildTime());
            return null;
        }
    }

    /**
     * Where the address is, from the memo or from the databases. Never throws: an address that is not an IP literal
     * or that a database cannot answer is {@link #UNKNOWN}.
     */
    public Place locate(String ip) {
        Loaded l = loaded;
        Memo memo = l.memo();
        Place place = memo.current.get(ip);
        if (place != null) {
            return place;
        }
        place = memo.previous.get(ip);
        if (place == null) {
            place = lookUp(l, ip);
        }
        if (memo.current.size() >= MEMO_ENTRIES) {
            synchronized (memo) {
                if (memo.current.size() >= MEMO_ENTRIES) {
                    memo.previous = memo.current;
                    memo.current = new ConcurrentHashMap<>();
                }
            }
        }
        memo.current.put(ip, place);
        return place;
    }

    private static Place lookUp(Loaded l, String ip) {
        Optional<byte[]> bytes = IpLiteral.parse(ip);
        if (bytes.isEmpty()) {
            return Place.NOWHERE;
        }
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes.get()); // bytes, never a name: no DNS
        } catch (UnknownHostException e) {
            return Place.NOWHERE;
        }
        String country = UNKNOWN;
        String asn = UNKNOWN;
        String org = "";
        if (l.country() != null) {
            try {
                String c = l.country().country(address);
                country = c == null ? UNKNOWN : c;
            } catch (IOException | GeoIp2Exception | RuntimeException e) {
                LOG.log(Level.DEBUG, "GeoIP country lookup of {0} failed: {1}", ip, e.toString());
            }
        }
        if (l.asn() != null) {
            try {
                GeoDatabase.AutonomousSystem as = l.asn().asn(address);
                if (as.number() != null) {
                    asn = Long.toString(as.number());
                    org = as.organization();
                }
            } catch (IOException | GeoIp2Exception | RuntimeException e) {
                LOG.log(Level.DEBUG, "GeoIP ASN lookup of {0} failed: {1}", ip, e.toString());
            }
        }
        return new Place(country, asn, org);
    }
}
