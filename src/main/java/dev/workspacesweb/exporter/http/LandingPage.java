package dev.workspacesweb.exporter.http;

import dev.workspacesweb.exporter.model.PortalView;
import dev.workspacesweb.exporter.poll.SnapshotStore;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Comparator;

/** {@code GET /}: links to the endpoints and each portal's state, for a human with a browser. */
final class LandingPage implements Handler {
    private final SnapshotStore store;
    private final String version;
    private final boolean simulated;

    /** @param simulated the data comes from the embedded simulator: said first, above everything else */
    LandingPage(SnapshotStore store, String version, boolean simulated) {
        this.store = store;
        this.version = version;
        this.simulated = simulated;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>WorkSpaces Web Exporter</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em 1em;text-align:left}")
                .append(".down{color:#b00}.up{color:#070}.simulated{background:#fd0;padding:.5em 1em}</style></head><body>");
        if (simulated) {
            html.append("<p class=\"simulated\"><strong>simulated data</strong>: the sessions below and on /metrics come ")
                    .append("from the embedded simulator (source: simulator), not from AWS.</p>");
        }
        html.append("<h1>WorkSpaces Web Exporter</h1><p>Version ").append(escape(version)).append("</p><ul>")
                .append("<li><a href=\"metrics\">/metrics</a></li>")
                .append("<li><a href=\"-/healthy\">/-/healthy</a></li>")
                .append("<li><a href=\"-/ready\">/-/ready</a></li></ul>")
                .append("<h2>Portals</h2><table><tr><th>Portal</th><th>Name</th><th>Region</th><th>State</th>")
                .append("<th>Active sessions</th><th>Last successful poll</th><th>Last error</th></tr>");
        store.views().stream().sorted(Comparator.comparing(PortalView::portalId)).forEach(v -> {
            String state = !v.polled() ? "pending" : v.up() ? "up" : "down";
            html.append("<tr><td>").append(escape(v.portalId())).append("</td><td>")
                    .append(escape(v.portal().displayName())).append("</td><td>")
                    .append(escape(v.portal().region())).append("</td><td class=\"").append(state).append("\">")
                    .append(state).append("</td><td>")
                    .append(v.lastGood() == null ? "" : v.lastGood().activeSessions()).append("</td><td>")
                    .append(v.lastSuccess() == null ? "never" : v.lastSuccess()).append("</td><td>")
                    .append(escape(v.lastError())).append("</td></tr>");
        });
        html.append("</table></body></html>");
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8").send(html.toString());
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
