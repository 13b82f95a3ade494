package dev.workspacesweb.exporter.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * JSON bodies in the service's restJson1 form: member names as in the model, optional members omitted when unset,
 * timestamps as epoch seconds with a millisecond fraction (e.g. {@code 1726771234.567}).
 */
final class WireJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private WireJson() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    static byte[] listPortals(List<Portal> portals, String nextToken) {
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("portals");
            for (Portal portal : portals) {
                writePortal(json, portal);
            }
            json.writeEndArray();
            if (nextToken != null) {
                json.writeStringField("nextToken", nextToken);
            }
            json.writeEndObject();
        });
    }

    static byte[] listSessions(String portalArn, List<SessionRecord> sessions, String nextToken) {
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("sessions");
            for (SessionRecord session : sessions) {
                json.writeStartObject();
                writeSessionMembers(json, portalArn, session, false);
                json.writeEndObject();
            }
            json.writeEndArray();
            if (nextToken != null) {
                json.writeStringField("nextToken", nextToken);
            }
            json.writeEndObject();
        });
    }

    static byte[] getSession(String portalArn, SessionRecord session) {
        return render(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("session");
            writeSessionMembers(json, portalArn, session, true);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    static byte[] error(ApiException error) {
        return render(json -> MAPPER.writeValue(json, error.body));
    }

    static byte[] requests(Map<String, Map<String, Long>> counts) {
        return render(json -> MAPPER.writeValue(json, counts));
    }

    /** The ground truth; the same members as the Java records, timestamps as on the wire. */
    static byte[] truth(Truth truth) {
        return render(json -> {
            json.writeStartObject();
            json.writeFieldName("startedAt");
            json.writeNumber(epochSeconds(truth.startedAt()));
            json.writeFieldName("now");
            json.writeNumber(epochSeconds(truth.now()));
            json.writeArrayFieldStart("portals");
            for (PortalTruth portal : truth.portals()) {
                json.writeStartObject();
                json.writeNumberField("portalIndex", portal.portalIndex());
                json.writeStringField("portalId", portal.portalId());
                json.writeStringField("portalArn", portal.portalArn());
                json.writeStringField("accountId", portal.accountId());
                json.writeStringField("region", portal.region());
                writeRecords(json, "activeSessions", portal.activeSessions());
                writeRecords(json, "endedSessions", portal.endedSessions());
                json.writeNumberField("sessionsStarted", portal.sessionsStarted());
                json.writeFieldName("activeSessionsByUser");
                MAPPER.writeValue(json, new java.util.TreeMap<>(portal.activeSessionsByUser()));
                json.writeFieldName("activeSessionsByClientIp");
                MAPPER.writeValue(json, new java.util.TreeMap<>(portal.activeSessionsByClientIp()));
                writeRecords(json, "historySessions", portal.historySessions());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writeRecords(JsonGenerator json, String name, List<SessionRecord> records)
            throws IOException {
        json.writeArrayFieldStart(name);
        for (SessionRecord record : records) {
            json.writeStartObject();
            json.writeStringField("sessionId", record.sessionId());
            json.writeStringField("username", record.username());
            json.writeStringField("status", record.status().name());
            json.writeFieldName("startTime");
            json.writeNumber(epochSeconds(record.startTime()));
            if (record.endTime() != null) {
                json.writeFieldName("endTime");
                json.writeNumber(epochSeconds(record.endTime()));
            }
            writeStrings(json, "clientIpAddresses", record.clientIpAddresses());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeSessionMembers(JsonGenerator json, String portalArn, SessionRecord session,
            boolean withAddresses) throws IOException {
        json.writeStringField("portalArn", portalArn);
        json.writeStringField("sessionId", session.sessionId());
        json.writeStringField("username", session.username());
        if (withAddresses) {
            writeStrings(json, "clientIpAddresses", session.clientIpAddresses());
        }
        json.writeStringField("status", session.status().name());
        json.writeFieldName("startTime");
        json.writeNumber(epochSeconds(session.startTime()));
        if (session.endTime() != null) {
            json.writeFieldName("endTime");
            json.writeNumber(epochSeconds(session.endTime()));
        }
    }

    private static void writePortal(JsonGenerator json, Portal portal) throws IOException {
        json.writeStartObject();
        json.writeStringField("portalArn", portal.portalArn());
        json.writeStringField("rendererType", portal.rendererType());
        json.writeStringField("browserType", portal.browserType());
        json.writeStringField("portalStatus", portal.portalStatus());
        json.writeStringField("portalEndpoint", portal.portalEndpoint());
        json.writeStringField("displayName", portal.displayName());
        json.writeFieldName("creationDate");
        json.writeNumber(epochSeconds(portal.creationDate()));
        writeOptional(json, "browserSettingsArn", portal.browserSettingsArn());
        writeOptional(json, "dataProtectionSettingsArn", portal.dataProtectionSettingsArn());
        writeOptional(json, "userSettingsArn", portal.userSettingsArn());
        writeOptional(json, "networkSettingsArn", portal.networkSettingsArn());
        writeOptional(json, "sessionLoggerArn", portal.sessionLoggerArn());
        writeOptional(json, "trustStoreArn", portal.trustStoreArn());
        writeOptional(json, "userAccessLoggingSettingsArn", portal.userAccessLoggingSettingsArn());
        json.writeStringField("authenticationType", portal.authenticationType());
        writeOptional(json, "ipAccessSettingsArn", portal.ipAccessSettingsArn());
        json.writeStringField("instanceType", portal.instanceType());
        json.writeNumberField("maxConcurrentSessions", portal.maxConcurrentSessions());
        json.writeEndObject();
    }

    private static void writeOptional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void writeStrings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
