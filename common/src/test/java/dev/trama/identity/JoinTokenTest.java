package dev.trama.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

class JoinTokenTest {

    @Test
    void aTokenIsOneLineThatReadsBackTheSame() {
        String key = ZMQ.Curve.generateKeyPair().publicKey;
        JoinToken token = new JoinToken("c0ffee00", key, JoinToken.newSecret());
        String line = token.toString();
        assertThat(line).startsWith("trama1:c0ffee00:").matches("[a-z0-9:]+");
        assertThat(JoinToken.parse(line + "\n")).isEqualTo(token);
        assertThat(JoinToken.parse(line).serverKey()).isEqualTo(key);
    }

    @Test
    void anythingElseIsRefusedWithOneSentence() {
        for (String bad : new String[] {"", "trama1:c0ffee00", "trama2:c0ffee00:" + "ab".repeat(32) + ":" + "0".repeat(32),
                "trama1:C0FFEE:" + "ab".repeat(32) + ":" + "0".repeat(32), "trama1:c0ffee00:" + "ab".repeat(31) + ":" + "0".repeat(32)}) {
            assertThatThrownBy(() -> JoinToken.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("this is not a Trama join token (trama-server join-token prints one)");
        }
        assertThatThrownBy(() -> JoinToken.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
