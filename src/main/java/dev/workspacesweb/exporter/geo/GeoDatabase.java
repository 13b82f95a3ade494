package dev.workspacesweb.exporter.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Country;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One loaded GeoIP database file, read with MaxMind's readers. Two layouts of the MaxMind DB format are understood:
 * MaxMind's own (GeoIP2 / GeoLite2 Country, City and ASN, and DB-IP's files, which copy them), read with geoip2's
 * {@link DatabaseReader}; and ip-location-db's ({@code country_code}, or {@code autonomous_system_*} at the top,
 * database type {@code "country ..."} / {@code "asn ..."}), which DatabaseReader refuses by its type, read with the
 * maxmind-db {@link Reader} underneath it.
 *
 * <p>The whole file is read into memory: a file rewritten in place (not renamed over) can then never change or
 * truncate the bytes under a lookup in progress, as it could with a memory mapping.
 */
public final class GeoDatabase {

    /** What a database answers. */
    public enum Kind {
        COUNTRY("country"),
        ASN("asn");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The value of the {@code database} label, and the word used in messages. */
        public String label() {
            return label;
        }
    }

    /** An autonomous system; {@code number} is null when the database does not know the address. */
    public record AutonomousSystem(Long number, String organization) {
        static final AutonomousSystem NONE = new AutonomousSystem(null, "");

        public AutonomousSystem {
            organization = organization == null ? "" : organization;
        }
    }

    /**
     * What identifies the file that was read: a replacement by rename (geoipupdate) changes the file key, an
     * in-place rewrite the modification time or size.
     */
    record FileStamp(Object fileKey, Instant modified, long size) {
        static FileStamp of(Path path) throws IOException {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStamp(a.fileKey(), a.lastModifiedTime().toInstant(), a.size());
        }
    }

    private interface Lookup {
        String country(InetAddress address) throws IOException, GeoIp2Exception;

        AutonomousSystem asn(InetAddress address) throws IOException, GeoIp2Exception;
    }

    private final Kind kind;
    private final Path path;
    private final FileStamp stamp;
    private final String databaseType;
    private final Instant buildTime;
    private final Lookup lookup;

    private GeoDatabase(Kind kind, Path path, FileStamp stamp, String databaseType, Instant buildTime, Lookup lookup) {
        this.kind = kind;
        this.path = path;
        this.stamp = stamp;
        this.databaseType = databaseType;
        this.buildTime = buildTime;
        this.lookup = lookup;
    }

    /**
     * Reads the file and checks that it answers {@code kind}.
     *
     * @throws GeoDatabaseException when the file is missing, unreadable, not a MaxMind DB, or of another kind
     */
    public static GeoDatabase open(Kind kind, Path path) throws GeoDatabaseException {
        FileStamp stamp;
        Reader reader;
        try {
            stamp = FileStamp.of(path);
            if (!Files.isRegularFile(path)) {
                throw new GeoDatabaseException(kind, path, "not a regular file", null);
            }
            reader = new Reader(path.toFile(), Reader.FileMode.MEMORY);
        } catch (NoSuchFileException e) {
            throw new GeoDatabaseException(kind, path, "no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new GeoDatabaseException(kind, path, "not a readable MaxMind DB file (" + e.getMessage() + ")", e);
        }
        String type = Objects.requireNonNullElse(reader.getMetadata().databaseType(), "");
        Instant built = reader.getMetadata().buildTime();
        Lookup lookup;
        try {
            lookup = switch (kind) {
                case COUNTRY -> countryLookup(type, reader, path);
                case ASN -> asnLookup(type, reader, path);
            };
        } catch (IOException | RuntimeException e) {
            throw new GeoDatabaseException(kind, path, "not a readable MaxMind DB file (" + e.getMessage() + ")", e);
        }
        if (lookup == null) {
            String expected = kind == Kind.COUNTRY
                    ? "a country database (GeoLite2 or GeoIP2 Country or City, DB-IP Country or City, ip-location-db country)"
                    : "an ASN database (GeoLite2-ASN, DB-IP ASN, ip-location-db asn)";
            throw new GeoDatabaseException(kind, path, "a database of type '" + type + "', not " + expected, null);
        }
        return new GeoDatabase(kind, path, stamp, type, built, lookup);
    }

    private static Lookup countryLookup(String type, Reader reader, Path path) throws IOException {
        if (type.contains("Country") || type.contains("City") || type.contains("Enterprise")) {
            DatabaseReader db = new DatabaseReader.Builder(path.toFile()).fileMode(Reader.FileMode.MEMORY).build();
            return new Lookup() {
                @Override
                public String country(InetAddress address) throws IOException, GeoIp2Exception {
                    Optional<CountryResponse> r = db.tryCountry(address);
                    if (r.isEmpty()) {
                        return null;
                    }
                    // Some networks (anonymous proxies, satellite providers) carry only the registered country.
                    String code = isoCode(r.get().country());
                    return code != null ? code : isoCode(r.get().registeredCountry());
                }

                @Override
                public AutonomousSystem asn(InetAddress address) {
                    throw new UnsupportedOperationException();
                }
            };
        }
        if (type.toLowerCase(Locale.ROOT).startsWith("country")) {
            return new Lookup() {
                @Override
                public String country(InetAddress address) throws IOException {
                    IpLocationDbCountry r = reader.get(address, IpLocationDbCountry.class);
                    return r == null ? null : r.countryCode();
                }

                @Override
                public AutonomousSystem asn(InetAddress address) {
                    throw new UnsupportedOperationException();
                }
            };
        }
        return null;
    }

    private static String isoCode(Country country) {
        return country == null ? null : country.isoCode();
    }

    private static Lookup asnLookup(String type, Reader reader, Path path) throws IOException {
        if (type.contains("GeoLite2-ASN")) {
            // DB-IP's ASN files say "DBIP-ASN-Lite (compat=GeoLite2-ASN)": MaxMind's layout.
            DatabaseReader db = new DatabaseReader.Builder(path.toFile()).fileMode(Reader.FileMode.MEMORY).build();
            return new Lookup() {
                @Override
                public String country(InetAddress address) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public AutonomousSystem asn(InetAddress address) throws IOException, GeoIp2Exception {
                    Optional<AsnResponse> r = db.tryAsn(address);
                    return r.isEmpty() ? AutonomousSystem.NONE
                            : new AutonomousSystem(r.get().autonomousSystemNumber(), r.get().autonomousSystemOrganization());
                }
            };
        }
        if (type.toLowerCase(Locale.ROOT).startsWith("asn")) {
            return new Lookup() {
                @Override
                public String country(InetAddress address) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public AutonomousSystem asn(InetAddress address) throws IOException {
                    IpLocationDbAsn r = reader.get(address, IpLocationDbAsn.class);
                    return r == null ? AutonomousSystem.NONE : new AutonomousSystem(r.number(), r.organization());
                }
            };
        }
        return null;
    }

    /** ip-location-db's country record. */
    public record IpLocationDbCountry(String countryCode) {
        @MaxMindDbConstructor
        public IpLocationDbCountry(@MaxMindDbParameter(name = "country_code") String countryCode) {
            this.countryCode = countryCode;
        }
    }

    /** ip-location-db's ASN record: the field names of GeoLite2-ASN. */
    public record IpLocationDbAsn(Long number, String organization) {
        @MaxMindDbConstructor
        public IpLocationDbAsn(@MaxMindDbParameter(name = "autonomous_system_number") Long number,
                @MaxMindDbParameter(name = "autonomous_system_organization") String organization) {
            this.number = number;
            this.organization = organization;
        }
    }

    /** The ISO 3166-1 alpha-2 code of the address's country (upper case), or null when the database has none. */
    String country(InetAddress address) throws IOException, GeoIp2Exception {
        String code = lookup.country(address);
        return code == null || code.isBlank() ? null : code.strip().toUpperCase(Locale.ROOT);
    }

    AutonomousSystem asn(InetAddress address) throws IOException, GeoIp2Exception {
        return lookup.asn(address);
    }

    public Kind kind() {
        return kind;
    }

    public Path path() {
        return path;
    }

    FileStamp stamp() {
        return stamp;
    }

    /** The database's own type name (its metadata), e.g. {@code GeoLite2-Country}. */
    public String databaseType() {
        return databaseType;
    }

    /** The build time recorded in the database's metadata. */
    public Instant buildTime() {
        return buildTime;
    }
}
