package dev.workspacesweb.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Pagination tokens: what a token carries comes back, and every kind of misuse is the service's ValidationException. */
class PageTokensTest {
    private static final long NOW = 1_764_000_000_000L;
    private final PageTokens tokens = new PageTokens();
    private final long filters = PageTokens.digest("Active", null, "alice");
    private final PageTokens.Position position = new PageTokens.Position(PageTokens.LIST_SESSIONS, 3, filters, 0x0123L, -5L);

    private PageTokens.Position read(PageTokens from, String token, byte operation, int portal, long digest, long now) {
        return from.read(token, operation, portal, digest, now);
    }

    @Test
    void aTokenGivesBackItsPositionUntilItsLifetimeEnds() {
        String token = tokens.issue(position, NOW);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(read(tokens, token, PageTokens.LIST_SESSIONS, 3, filters, NOW)).isEqualTo(position);
        long lifetime = Workload.tokenLifetime().toMillis();
        assertThat(read(tokens, token, PageTokens.LIST_SESSIONS, 3, filters, NOW + lifetime)).isEqualTo(position);
        assertThatThrownBy(() -> read(tokens, token, PageTokens.LIST_SESSIONS, 3, filters, NOW + lifetime + 1))
                .isInstanceOf(ApiException.class).hasMessage("ValidationException: The pagination token has expired.");
    }

    @Test
    void aTokenForOtherParametersIsRefused() {
        String token = tokens.issue(position, NOW);
        String different = "ValidationException: The pagination token was issued for a different request. Repeat the "
                + "parameters of the first request with the token.";
        assertThatThrownBy(() -> read(tokens, token, PageTokens.LIST_PORTALS, 3, filters, NOW)).hasMessage(different);
        assertThatThrownBy(() -> read(tokens, token, PageTokens.LIST_SESSIONS, 4, filters, NOW)).hasMessage(different);
        long otherFilters = PageTokens.digest("Active", null, "bob");
        assertThatThrownBy(() -> read(tokens, token, PageTokens.LIST_SESSIONS, 3, otherFilters, NOW)).hasMessage(different);
    }

    @Test
    void alteredForeignAndMalformedTokensAreInvalid() {
        String token = tokens.issue(position, NOW);
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        String invalid = "ValidationException: Invalid pagination token.";
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThatThrownBy(() -> read(tokens, tampered, PageTokens.LIST_SESSIONS, 3, filters, NOW))
                    .as("bit flipped in byte %d", i).hasMessage(invalid);
        }
        assertThatThrownBy(() -> read(new PageTokens(), token, PageTokens.LIST_SESSIONS, 3, filters, NOW))
                .as("issued by another simulator").hasMessage(invalid);
        assertThatThrownBy(() -> read(tokens, token.substring(1), PageTokens.LIST_SESSIONS, 3, filters, NOW)).hasMessage(invalid);
        assertThatThrownBy(() -> read(tokens, "not base64!", PageTokens.LIST_SESSIONS, 3, filters, NOW)).hasMessage(invalid);
        assertThatThrownBy(() -> read(tokens, "", PageTokens.LIST_SESSIONS, 3, filters, NOW)).hasMessage(invalid);
    }

    @Test
    void theFilterDigestTellsNullFromEmptyAndKeepsFieldsApart() {
        assertThat(PageTokens.digest("a", null)).isNotEqualTo(PageTokens.digest("a", ""));
        assertThat(PageTokens.digest("ab", "c")).isNotEqualTo(PageTokens.digest("a", "bc"));
        assertThat(PageTokens.digest("a", "b")).isEqualTo(PageTokens.digest("a", "b"));
    }
}
