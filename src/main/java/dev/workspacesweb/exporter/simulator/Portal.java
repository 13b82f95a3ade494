package dev.workspacesweb.exporter.simulator;

import java.time.Instant;

/**
 * A simulated portal as ListPortals describes it (the model's {@code PortalSummary}). Optional ARNs are null when
 * the portal has no such settings associated.
 *
 * @param index     0-based position over all accounts, as used by
 *                  {@link SimulatorSettings.Faults#accessDeniedPortals()}
 * @param accountId the account that owns the portal (also in {@code portalArn})
 * @param region    the portal's region (also in {@code portalArn}); ListPortals of another region omits it
 * @param id        the 36-character portal id, the last segment of {@code portalArn}, used in the session URIs
 */
public record Portal(
        int index,
        String accountId,
        String region,
        String id,
        String portalArn,
        String displayName,
        String portalEndpoint,
        Instant creationDate,
        String rendererType,
        String browserType,
        String portalStatus,
        String authenticationType,
        String instanceType,
        int maxConcurrentSessions,
        String browserSettingsArn,
        String dataProtectionSettingsArn,
        String userSettingsArn,
        String networkSettingsArn,
        String sessionLoggerArn,
        String trustStoreArn,
        String userAccessLoggingSettingsArn,
        String ipAccessSettingsArn) {
}
