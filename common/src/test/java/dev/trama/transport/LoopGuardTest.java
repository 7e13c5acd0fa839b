package dev.trama.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.ClosedSelectorException;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

class LoopGuardTest {

    @Test
    void aLoopEndsQuietlyOnlyWhenItsSocketsAreClosing() {
        LoopGuard guard = new LoopGuard("test loop");
        assertThat(guard.failed(new ZMQException(ZMQ.Error.ETERM.getCode()))).isFalse();
        assertThat(guard.failed(new ClosedSelectorException())).isFalse();
        assertThat(guard.failed(new ZMQException(ZMQ.Error.EFSM.getCode()))).isTrue();
        assertThat(guard.failed(new OutOfMemoryError("test"))).isTrue();
        guard.succeeded();
        assertThat(guard.failed(new IllegalStateException("test"))).isTrue();
    }
}
