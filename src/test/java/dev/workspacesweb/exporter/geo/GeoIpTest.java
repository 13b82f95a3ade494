package dev.workspacesweb.exporter.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workspacesweb.exporter.testing.MmdbWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GeoIP databases read from real .mmdb files written by MaxMind's writer. */
class GeoIpTest {
    private static final Instant BUILT = Instant.parse("2026-11-02T03:04:05Z");

    @TempDir
    Path dir;

    private Path countryDb(String name, String gbNetworkCountry) throws Exception {
        return MmdbWriter.ofType("GeoLite2-Country").builtAt(BUILT)
                .country("81.2.69.0/24", gbNetworkCountry)
                .country("89.160.0.0/16", "SE")
                .country("2a02:c7c::/32", "GB")
                .writeTo(dir.resolve(name));
    }

    private Path asnDb() throws Exception {
        return MmdbWriter.ofType("GeoLite2-ASN").builtAt(BUILT.plusSeconds(60))
                .asn("81.2.69.0/24", 20712, "Andrews & Arnold Ltd")
                .asn("2a02:c7c::/32", 5607, "Sky UK Limited")
                .writeTo(dir.resolve("asn.mmdb"));
    }

    @Test
    void answersCountryAndAsnOfIpv4AndIpv6AddressesAndUnknownElsewhere() throws Exception {
        GeoIp geo = GeoIp.open(countryDb("country.mmdb", "GB"), asnDb());

        assertThat(geo.locate("81.2.69.142")).isEqualTo(new GeoIp.Place("GB", "20712", "Andrews & Arnold Ltd"));
        assertThat(geo.locate("2a02:c7c:1:2::3")).isEqualTo(new GeoIp.Place("GB", "5607", "Sky UK Limited"));
        assertThat(geo.locate("89.160.20.112")).isEqualTo(new GeoIp.Place("SE", GeoIp.UNKNOWN, ""));
        // Private and documentation addresses, and anything that is not an IP literal (never resolved as a name).
        assertThat(geo.locate("10.1.2.3")).isEqualTo(new GeoIp.Place(GeoIp.UNKNOWN, GeoIp.UNKNOWN, ""));
        assertThat(geo.locate("2001:db8::1")).isEqualTo(new GeoIp.Place(GeoIp.UNKNOWN, GeoIp.UNKNOWN, ""));
        assertThat(geo.locate("localhost")).isEqualTo(new GeoIp.Place(GeoIp.UNKNOWN, GeoIp.UNKNOWN, ""));
        assertThat(geo.buildTime(GeoDatabase.Kind.COUNTRY)).contains(BUILT);
        assertThat(geo.buildTime(GeoDatabase.Kind.ASN)).contains(BUILT.plusSeconds(60));
        assertThat(geo.hasCountry()).isTrue();
        assertThat(geo.hasAsn()).isTrue();
    }

    @Test
    void eitherDatabaseIsOptional() throws Exception {
        GeoIp asnOnly = GeoIp.open(null, asnDb());
        assertThat(asnOnly.hasCountry()).isFalse();
        assertThat(asnOnly.buildTime(GeoDatabase.Kind.COUNTRY)).isEmpty();
        assertThat(asnOnly.locate("81.2.69.1")).isEqualTo(new GeoIp.Place(GeoIp.UNKNOWN, "20712", "Andrews & Arnold Ltd"));
    }

    @Test
    void readsCityDatabasesAndTheIpLocationDbLayout() throws Exception {
        Path city = MmdbWriter.ofType("DBIP-City-Lite").country("81.2.69.0/24", "GB").writeTo(dir.resolve("city.mmdb"));
        Path ipLocationCountry = MmdbWriter.ofType("country ipvAll")
                .network("89.160.0.0/16", Map.of("country_code", "se")).writeTo(dir.resolve("geo-whois-asn-country.mmdb"));
        Path ipLocationAsn = MmdbWriter.ofType("asn ipvAll")
                .network("89.160.0.0/16", Map.of("autonomous_system_number", 29518L, "autonomous_system_organization", "Bredband2 AB"))
                .writeTo(dir.resolve("asn-ipvall.mmdb"));

        assertThat(GeoIp.open(city, null).locate("81.2.69.9").country()).isEqualTo("GB");
        GeoIp ipLocationDb = GeoIp.open(ipLocationCountry, ipLocationAsn);
        assertThat(ipLocationDb.locate("89.160.20.112")).isEqualTo(new GeoIp.Place("SE", "29518", "Bredband2 AB"));
    }

    @Test
    void aMissingUnreadableOrWrongKindOfDatabaseIsRefusedNamingTheFile() throws Exception {
        Path asn = asnDb();
        Path country = countryDb("country.mmdb", "GB");
        Path garbage = Files.writeString(dir.resolve("garbage.mmdb"), "not a database");

        assertThatThrownBy(() -> GeoIp.open(asn, null)).isInstanceOfSatisfying(GeoDatabaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(GeoDatabase.Kind.COUNTRY);
            assertThat(e.getMessage()).contains(asn.toString(), "'GeoLite2-ASN'", "not a country database");
        });
        assertThatThrownBy(() -> GeoIp.open(null, country)).isInstanceOfSatisfying(GeoDatabaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(GeoDatabase.Kind.ASN);
            assertThat(e.getMessage()).contains(country.toString(), "'GeoLite2-Country'", "not an ASN database");
        });
        assertThatThrownBy(() -> GeoIp.open(dir.resolve("absent.mmdb"), null))
                .hasMessageContaining(dir.resolve("absent.mmdb") + ": no such file");
        assertThatThrownBy(() -> GeoIp.open(garbage, null))
                .hasMessageContaining(garbage + ": not a readable MaxMind DB file");
        assertThatThrownBy(() -> GeoIp.open(null, dir))
                .hasMessageContaining(dir + ": not a regular file");
    }

    @Test
    void aReplacedDatabaseIsUsedAfterTheNextRefreshAndABadReplacementKeepsThePreviousOneLoggedOnce() throws Exception {
        Path country = countryDb("country.mmdb", "GB");
        GeoIp geo = GeoIp.open(country, null);
        assertThat(geo.locate("81.2.69.142").country()).isEqualTo("GB");

        // geoipupdate's way: a new file renamed over the old one.
        MmdbWriter.ofType("GeoLite2-Country").builtAt(BUILT.plusSeconds(86_400)).country("81.2.69.0/24", "IE")
                .writeTo(country);
        assertThat(geo.locate("81.2.69.142").country()).as("answers come from the loaded database until a refresh")
                .isEqualTo("GB");
        geo.refresh();
        assertThat(geo.locate("81.2.69.142").country()).isEqualTo("IE");
        assertThat(geo.locate("89.160.20.112").country()).isEqualTo(GeoIp.UNKNOWN);
        assertThat(geo.buildTime(GeoDatabase.Kind.COUNTRY)).contains(BUILT.plusSeconds(86_400));

        List<LogRecord> warnings = captureWarnings();
        Path bad = Files.writeString(dir.resolve("bad.tmp"), "truncated download");
        Files.move(bad, country, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        geo.refresh();
        geo.refresh();
        assertThat(geo.locate("81.2.69.142").country()).isEqualTo("IE");
        assertThat(warnings).hasSize(1);
        assertThat(text(warnings.get(0))).contains(country.toString(), "not a readable MaxMind DB file", "keeping the database built "
                + BUILT.plusSeconds(86_400));

        // A database of the wrong kind is just as bad; then a good one is taken again.
        MmdbWriter.ofType("GeoLite2-ASN").asn("81.2.69.0/24", 1, "x").writeTo(country);
        geo.refresh();
        assertThat(geo.locate("81.2.69.142").country()).isEqualTo("IE");
        assertThat(warnings).hasSize(2);
        countryDb("country.mmdb", "GB");
        geo.refresh();
        assertThat(geo.locate("81.2.69.142").country()).isEqualTo("GB");
        assertThat(warnings).hasSize(2);

        // A file removed (between an unlink and a rename) keeps the loaded database, silently.
        Files.delete(country);
        geo.refresh();
        assertThat(geo.locate("81.2.69.142").country()).isEqualTo("GB");
        assertThat(warnings).hasSize(2);
    }

    private static String text(LogRecord r) {
        return java.text.MessageFormat.format(r.getMessage(), r.getParameters());
    }

    private static List<LogRecord> captureWarnings() {
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(GeoIp.class.getName());
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (records) {
                        records.add(r);
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return records;
    }
}
