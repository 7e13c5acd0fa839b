package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CurveKeyPairTest {

    private final CurveKeyPair keys = CurveKeyPair.generate();

    @Test
    void aGeneratedPairIsValidTextAndNeverShowsItsSecret() {
        assertThat(new CurveKeyPair(keys.publicKey(), keys.secretKey())).isEqualTo(keys);
        assertThat(keys.publicKey()).hasSize(40);
        assertThat(keys.toString()).contains(keys.publicKey()).doesNotContain(keys.secretKey());
        assertThat(CurveKeyPair.checkPublicKey(keys.publicKey())).isEqualTo(keys.publicKey());
    }

    @Test
    void textThatIsNotAKeyIsRefusedWithASentence() {
        assertThatThrownBy(() -> CurveKeyPair.checkPublicKey(null)).hasMessage("a CURVE public key must be 40 Z85 characters, got none");
        assertThatThrownBy(() -> CurveKeyPair.checkPublicKey("abc")).hasMessage("a CURVE public key must be 40 Z85 characters, got 3");
        assertThatThrownBy(() -> CurveKeyPair.checkPublicKey("~".repeat(40))).hasMessage("a CURVE public key must hold only Z85 characters");
        // "%nSc1" is one more than the largest 32-bit number five Z85 characters may spell
        assertThatThrownBy(() -> CurveKeyPair.checkPublicKey("%nSc1".repeat(8))).hasMessageContaining("Z85 text of 32 bytes");
    }

    @Test
    void aSecretKeyMustBelongToItsPublicKey() {
        CurveKeyPair other = CurveKeyPair.generate();
        assertThatThrownBy(() -> new CurveKeyPair(keys.publicKey(), other.secretKey()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the CURVE secret key does not belong to public key " + keys.publicKey())
                .hasMessageNotContaining(other.secretKey());
        assertThatThrownBy(() -> new CurveKeyPair(keys.publicKey(), "short")).hasMessage("a CURVE secret key must be 40 Z85 characters, got 5");
    }
}
