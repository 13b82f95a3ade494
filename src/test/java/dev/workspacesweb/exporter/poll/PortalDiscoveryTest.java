package dev.workspacesweb.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workspacesweb.exporter.aws.SessionQuery;
import dev.workspacesweb.exporter.aws.WorkSpacesWebApi;
import dev.workspacesweb.exporter.config.PortalRef;
import dev.workspacesweb.exporter.model.PortalInfo;
import dev.workspacesweb.exporter.model.ServiceSession;
import dev.workspacesweb.exporter.model.SessionPage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Discovery account by account: each account and region is up or down on its own; a failing ListPortals keeps the
 * portals found before; configured portals are up when the account's credentials can be obtained; the base
 * credentials' account id is learned from the portal ARNs; a reload's discovery takes over what the previous found.
 */
class PortalDiscoveryTest {
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String BASE = "333333333333";

    /** A region of one account: its portals, or failures on demand. */
    private static final class Region implements WorkSpacesWebApi {
        final String region;
        List<PortalInfo> portals;
        boolean listFails;
        boolean credentialsFail;

        Region(String region, List<PortalInfo> portals) {
            this.region = region;
            this.portals = portals;
        }

        @Override
        public String region() {
            return region;
        }

        @Override
        public void checkCredentials() {
            if (credentialsFail) {
                throw new IllegalStateException("AccessDenied: not authorized to perform: sts:AssumeRole");
            }
        }

        @Override
        public List<PortalInfo> listPortals() {
            checkCredentials();
            if (listFails) {
                throw new IllegalStateException("AccessDeniedException: not authorized to perform ListPortals");
            }
            return portals;
        }

        @Override
        public int listSessions(String portalId, SessionQuery query, Predicate<SessionPage> onPage) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ServiceSession> getSession(String portalId, String sessionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void expireSession(String portalId, String sessionId) {
            throw new UnsupportedOperationException();
        }
    }

    private static PortalInfo portal(String account, String region, int n) {
        String id = String.format("%08d-0000-4000-8000-000000000000", n);
        return new PortalInfo(id, region, "arn:aws:workspaces-web:" + region + ":" + account + ":portal/" + id,
                "P" + n, "Active", "standard.regular", 25);
    }

    private static List<String> ids(List<PortalInfo> portals) {
        return portals.stream().map(PortalInfo::portalId).toList();
    }

    @Test
    void eachAccountAndRegionIsUpOrDownOnItsOwn() {
        Region aUs = new Region("us-east-1", List.of(portal(A, "us-east-1", 1), portal(A, "us-east-1", 2)));
        Region aEu = new Region("eu-west-1", List.of(portal(A, "eu-west-1", 3)));
        Region bUs = new Region("us-east-1", List.of(portal(B, "us-east-1", 4)));
        Region base = new Region("us-east-1", List.of(portal(BASE, "us-east-1", 5)));
        PortalDiscovery discovery = new PortalDiscovery(List.of(
                new AccountTarget(A, Map.of("us-east-1", aUs, "eu-west-1", aEu), List.of()),
                new AccountTarget(B, Map.of("us-east-1", bUs), List.of()),
                new AccountTarget("", Map.of("us-east-1", base), List.of())), id -> true);

        List<PortalInfo> first = discovery.discover();
        assertThat(ids(first)).containsExactlyInAnyOrder(ids(List.of(portal(A, "", 1), portal(A, "", 2),
                portal(A, "", 3), portal(B, "", 4), portal(BASE, "", 5))).toArray(String[]::new));
        assertThat(first).filteredOn(p -> p.portalId().startsWith("00000005")).singleElement()
                .satisfies(p -> assertThat(p.accountId()).isEqualTo(BASE));
        assertThat(discovery.up()).containsOnly(
                Map.entry(new PortalDiscovery.AccountRegion(A, "us-east-1"), true),
                Map.entry(new PortalDiscovery.AccountRegion(A, "eu-west-1"), true),
                Map.entry(new PortalDiscovery.AccountRegion(B, "us-east-1"), true),
                Map.entry(new PortalDiscovery.AccountRegion(BASE, "us-east-1"), true));
        assertThat(discovery.gatewayOf(portal(A, "", 3).portalId())).isSameAs(aEu);
        assertThat(discovery.gatewayOf(portal(B, "", 4).portalId())).isSameAs(bUs);

        // B's role is refused: B is down, its portal known before is kept; A is untouched.
        bUs.credentialsFail = true;
        aEu.portals = List.of(portal(A, "eu-west-1", 3), portal(A, "eu-west-1", 6));
        List<PortalInfo> second = discovery.discover();
        assertThat(ids(second)).contains(portal(B, "", 4).portalId(), portal(A, "", 6).portalId());
        assertThat(discovery.up()).containsEntry(new PortalDiscovery.AccountRegion(B, "us-east-1"), false)
                .containsEntry(new PortalDiscovery.AccountRegion(A, "eu-west-1"), true);

        // A reload's discovery in which B still fails keeps B's portals and the learned base account.
        PortalDiscovery reloaded = new PortalDiscovery(List.of(
                new AccountTarget(B, Map.of("us-east-1", bUs), List.of()),
                new AccountTarget("", Map.of("us-east-1", base), List.of())), id -> true).carryOver(discovery);
        assertThat(reloaded.gatewayOf(portal(B, "", 4).portalId())).isSameAs(bUs);
        base.listFails = true;
        assertThat(ids(reloaded.discover())).containsExactlyInAnyOrder(portal(B, "", 4).portalId(),
                portal(BASE, "", 5).portalId());
        assertThat(reloaded.up()).containsOnly(
                Map.entry(new PortalDiscovery.AccountRegion(B, "us-east-1"), false),
                Map.entry(new PortalDiscovery.AccountRegion(BASE, "us-east-1"), false));
    }

    @Test
    void configuredPortalsAreUpWhenTheAccountsCredentialsWork() {
        Region aUs = new Region("us-east-1", List.of());
        aUs.listFails = true; // ListPortals denied: configured portals need no ListPortals
        PortalRef configured = PortalRef.parse("00000007-0000-4000-8000-000000000000", "us-east-1");
        PortalDiscovery discovery = new PortalDiscovery(List.of(
                new AccountTarget(A, Map.of("us-east-1", aUs), List.of(configured))), id -> true);

        List<PortalInfo> found = discovery.discover();
        assertThat(found).singleElement().satisfies(p -> {
            assertThat(p.portalId()).isEqualTo(configured.portalId());
            assertThat(p.accountId()).isEqualTo(A);
        });
        assertThat(discovery.up()).containsOnly(Map.entry(new PortalDiscovery.AccountRegion(A, "us-east-1"), true));

        aUs.credentialsFail = true;
        assertThat(discovery.discover()).hasSize(1);
        assertThat(discovery.up()).containsOnly(Map.entry(new PortalDiscovery.AccountRegion(A, "us-east-1"), false));
    }
}
