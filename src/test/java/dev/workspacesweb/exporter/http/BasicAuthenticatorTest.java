package dev.workspacesweb.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The work each kind of attempt costs, counted rather than timed (timings are measured, never asserted): an unknown
 * user must cost exactly the bcrypt verification a wrong password costs, and only a success may be cached. The
 * authenticator verifies with real bcrypt, through a wrapper that records each hash it is asked to check.
 */
class BasicAuthenticatorTest {
    private static final String ALICE_HASH = BCrypt.withDefaults().hashToString(4, "right".toCharArray());
    private final List<String> verifiedHashes = new CopyOnWriteArrayList<>();
    private final BasicAuthenticator auth = new BasicAuthenticator(Map.of("alice", ALICE_HASH), (password, hash) -> {
        verifiedHashes.add(new String(hash, StandardCharsets.US_ASCII));
        return BCrypt.verifyer().verify(password, hash).verified;
    });

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private long verificationsFor(String header, boolean expected) {
        int before = verifiedHashes.size();
        assertThat(auth.authenticate(header)).isEqualTo(expected);
        return verifiedHashes.size() - before;
    }

    @Test
    void unknownUserCostsOneVerificationLikeAWrongPassword() {
        assertThat(verificationsFor(basic("alice", "wrong"), false)).isEqualTo(1);
        assertThat(verificationsFor(basic("mallory", "wrong"), false)).isEqualTo(1);
        // Failures are not cached: the second try costs the same as the first, for both.
        assertThat(verificationsFor(basic("alice", "wrong"), false)).isEqualTo(1);
        assertThat(verificationsFor(basic("mallory", "wrong"), false)).isEqualTo(1);
        // Even an unknown user sending a known user's password.
        assertThat(verificationsFor(basic("mallory", "right"), false)).isEqualTo(1);
        // An unknown user is checked against a hash of the same cost, never against alice's.
        assertThat(verifiedHashes).hasSize(5);
        assertThat(verifiedHashes.get(1)).isNotEqualTo(ALICE_HASH).startsWith("$2y$04$");
        assertThat(verifiedHashes.get(4)).isNotEqualTo(ALICE_HASH);
    }

    @Test
    void successIsVerifiedOnceThenCached() {
        assertThat(verificationsFor(basic("alice", "right"), true)).isEqualTo(1);
        assertThat(verificationsFor(basic("alice", "right"), true)).isZero();
        // The cache is keyed by the password too: a wrong one after a success still pays.
        assertThat(verificationsFor(basic("alice", "right!"), false)).isEqualTo(1);
    }

    @Test
    void malformedHeadersAreRefusedWithoutVerification() {
        assertThat(verificationsFor(null, false)).isZero();
        assertThat(verificationsFor("Bearer abc", false)).isZero();
        assertThat(verificationsFor("Basic %%%", false)).isZero();
        assertThat(verificationsFor("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                false)).isZero();
    }

    @Test
    void passwordWithAColonKeepsEverythingAfterTheFirstColon() {
        BasicAuthenticator colon = new BasicAuthenticator(Map.of(
                "bob", BCrypt.withDefaults().hashToString(4, "a:b".toCharArray())));
        assertThat(colon.authenticate(basic("bob", "a:b"))).isTrue();
        assertThat(colon.authenticate(basic("bob", "a"))).isFalse();
    }
}
