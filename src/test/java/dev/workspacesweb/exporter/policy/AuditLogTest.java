package dev.workspacesweb.exporter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    private static final List<String> EXPIRED = List.of("actor", "policy", "policy", "office-only", "action", "expire",
            "portal", "p-1", "session", "s-1", "user", "zoë.o'brien@example.com", "client_ips", "203.0.113.7,2001:db8::1",
            "reason", "a client IP in 203.0.113.0/24", "result", "expired");

    private final Logger audit = Logger.getLogger("audit");
    private final java.util.logging.Level before = audit.getLevel();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                records.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        audit.addHandler(capture);
    }

    @AfterEach
    void release() {
        audit.removeHandler(capture);
        audit.setLevel(before);
    }

    @Test
    void atInfoTheActionIsLoggedWithoutWhoseSessionItWas() {
        audit.setLevel(java.util.logging.Level.INFO);
        AuditLog.write(Level.INFO, EXPIRED);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.INFO);
            assertThat(r.getMessage()).contains("actor=policy", "session=s-1", "reason=\"a client IP in 203.0.113.0/24\"",
                    "result=expired").doesNotContain("user", "o'brien", "client_ips", "203.0.113.7", "2001:db8::1");
        });
    }

    @Test
    void atDebugASecondLineJoinedBySessionNamesUserAndClientIps() {
        audit.setLevel(java.util.logging.Level.FINE);
        AuditLog.write(Level.WARNING, EXPIRED);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(records.get(0).getMessage()).doesNotContain("o'brien", "203.0.113.7");
        assertThat(records.get(1).getLevel()).isEqualTo(java.util.logging.Level.FINE);
        assertThat(records.get(1).getMessage())
                .isEqualTo("session=s-1 user=zoë.o'brien@example.com client_ips=203.0.113.7,2001:db8::1");
    }
}
