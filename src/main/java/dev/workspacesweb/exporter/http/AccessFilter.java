package dev.workspacesweb.exporter.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The first filter of every request, so nothing reaches a handler before it:
 * <ol>
 *   <li>adds the web config's extra headers ({@code http_server_config.headers}) to every response;</li>
 *   <li>with {@code client_allowed_sans}, answers 403 unless the client certificate has one of those SANs;</li>
 *   <li>leaves {@code /api/v1} and everything under it to the admin API, which has its own bearer token;</li>
 *   <li>everything else: basic auth when users are configured (401 with a challenge), then GET and HEAD only
 *       (405 with {@code Allow}), except {@code /-/reload}: POST and PUT only, as Prometheus has it.</li>
 * </ol>
 * The path checked is the one Helidon routes on, after its own normalisation, so {@code /api/v1/../metrics} cannot
 * slip past basic auth.
 */
final class AccessFilter implements Filter {
    static final String ADMIN_PREFIX = "/api/v1";

    private static final String ALLOWED_METHODS = "GET, HEAD";
    private static final Set<Method> READ_METHODS = Set.of(Method.GET, Method.HEAD);
    /** X.509 SAN types (RFC 5280 GeneralName tags) that client_allowed_sans matches: email, DNS, URI, IP. */
    private static final Set<Integer> SAN_TYPES = Set.of(1, 2, 6, 7);
    private static final int SAN_IP = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private final Map<HeaderName, String> headers;
    private final BasicAuthenticator authenticator;
    private final Set<String> allowedSans;

    /** @param authenticator null when no basic auth users are configured */
    AccessFilter(Map<String, String> headers, BasicAuthenticator authenticator, List<String> allowedSans) {
        Map<HeaderName, String> h = new LinkedHashMap<>();
        headers.forEach((name, value) -> h.put(HeaderNames.create(name), value));
        this.headers = Map.copyOf(h);
        this.authenticator = authenticator;
        this.allowedSans = allowedSans.stream().map(AccessFilter::normaliseIp).collect(Collectors.toUnmodifiableSet());
    }

    static boolean isAdminPath(String path) {
        return path.equals(ADMIN_PREFIX) || path.startsWith(ADMIN_PREFIX + "/");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        headers.forEach(res::header);
        if (!allowedSans.isEmpty() && !sanAllowed(req.remotePeer().tlsCertificates())) {
            res.status(Status.FORBIDDEN_403).header(HeaderNames.CONTENT_TYPE, "text/plain")
                    .send("Forbidden: client certificate not allowed\n");
            return;
        }
        if (isAdminPath(req.path().path())) {
            chain.proceed();
            return;
        }
        if (authenticator != null && !authenticator.authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null))) {
            res.status(Status.UNAUTHORIZED_401)
                    .header(HeaderNames.WWW_AUTHENTICATE, BasicAuthenticator.CHALLENGE)
                    .header(HeaderNames.CONTENT_TYPE, "text/plain")
                    .send("Unauthorized\n");
            return;
        }
        boolean reload = req.path().path().equals(ReloadHandler.PATH);
        if (!(reload ? ReloadHandler.METHODS : READ_METHODS).contains(req.prologue().method())) {
            res.status(Status.METHOD_NOT_ALLOWED_405)
                    .header(HeaderNames.ALLOW, reload ? ReloadHandler.ALLOWED : ALLOWED_METHODS)
                    .header(HeaderNames.CONTENT_TYPE, "text/plain")
                    .send("Method Not Allowed\n");
            return;
        }
        chain.proceed();
    }

    private boolean sanAllowed(Optional<Certificate[]> peerCertificates) {
        if (peerCertificates.isEmpty() || peerCertificates.get().length == 0
                || !(peerCertificates.get()[0] instanceof X509Certificate leaf)) {
            return false;
        }
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(0) instanceof Integer type && SAN_TYPES.contains(type)
                        && san.get(1) instanceof String value) {
                    if (allowedSans.contains(type == SAN_IP ? normaliseIp(value) : value)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** IP addresses in one canonical text form (the JDK writes IPv6 SANs uncompressed, configs usually do not). */
    private static String normaliseIp(String value) {
        boolean ipv4 = IPV4.matcher(value).matches();
        boolean ipv6 = value.indexOf(':') >= 0 && IPV6_CHARS.matcher(value).matches();
        if (ipv4 || ipv6) {
            try {
                // Only address literals get here, and getByName does no name lookup for a literal.
                return InetAddress.getByName(value).getHostAddress();
            } catch (UnknownHostException e) {
                return value;
            }
        }
        return value;
    }
}
