package dev.trama.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies.Done;
import dev.trama.protocol.Replies.NodeRegistered;
import dev.trama.protocol.ServerRequest.Heartbeat;
import dev.trama.protocol.ServerRequest.RegisterNode;
import dev.trama.protocol.TramaException;
import dev.trama.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration, heartbeats and the guard against another cluster, on a clock the test moves. */
class MembershipLoopTest {

    private static final String MINE = "aaaa1111";
    private static final String OTHER = "bbbb2222";

    @TempDir
    Path stateDir;

    private final ManualClock clock = new ManualClock();
    private final FakeServer server = new FakeServer();
    private final Membership membership = new Membership("n1");
    private final AtomicInteger rejoined = new AtomicInteger();
    /** Whether the server accepts TCP on its request port. */
    private final java.util.concurrent.atomic.AtomicBoolean listening = new java.util.concurrent.atomic.AtomicBoolean();
    private NodeState state;
    private MembershipLoop loop;

    private MembershipLoop loop() {
        state = new NodeState(stateDir.resolve("state"));
        loop = new MembershipLoop("n1", "192.0.2.11", server, membership, state, Trust.INSECURE, clock, clock::sleep, listening::get);
        loop.onRejoined(rejoined::incrementAndGet);
        return loop;
    }

    private static NodeRegistered registered(String cluster) {
        return new NodeRegistered(cluster, "n1", "10.10.0.0/16", "10.10.0.1/16", 500);
    }

    private static TramaException refusal(ErrorCode code, String message) {
        return new TramaException(code, message);
    }

    @Test
    void aFirstJoinWaitsForTheServerAsLongAsItTakesThenRemembersTheCluster() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        server.answering(request -> {
            if (tries.incrementAndGet() <= 45) {
                throw refusal(ErrorCode.UNAVAILABLE, "the server did not answer within 5.0 s");
            }
            return registered(MINE);
        });
        NodeRegistered joined = loop().join();

        assertThat(joined.clusterId()).isEqualTo(MINE);
        assertThat(server.requests(RegisterNode.class)).hasSize(46).allMatch(r -> r.clusterId() == null);
        assertThat(clock.instant()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:45Z"));
        assertThat(state.clusterId()).contains(MINE);
        assertThat(membership.joined()).isTrue();
    }

    @Test
    void aNodeThatJoinedNamesItsClusterAndWaitsWhileTheServerServesAnother() throws Exception {
        loop();
        state.joined(MINE);
        AtomicInteger tries = new AtomicInteger();
        server.answering(request -> {
            if (tries.incrementAndGet() <= 3) {
                assertThat(((RegisterNode) request).clusterId()).isEqualTo(MINE);
                throw refusal(ErrorCode.WRONG_CLUSTER, "this server serves cluster " + OTHER + ", but node 'n1' belongs to cluster " + MINE);
            }
            return registered(MINE);
        });
        server.calls.clear();

        assertThat(loop.join().clusterId()).isEqualTo(MINE);
        assertThat(clock.instant()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:15Z"));
        assertThat(state.clusterId()).contains(MINE);
    }

    @Test
    void whileRefusedByAnotherClusterTheNodeSaysWhyAndWhatToDo() throws Exception {
        loop();
        state.joined(MINE);
        server.answering(request -> {
            throw refusal(ErrorCode.WRONG_CLUSTER, "this server serves cluster " + OTHER + ", but node 'n1' belongs to cluster " + MINE);
        });
        loop.tick();
        assertThat(membership.facingOtherCluster()).isTrue();
        assertThat(membership.notJoined()).startsWith("this server serves cluster " + OTHER)
                .contains("every container and link of this host is kept").contains("trama leave");
        assertThat(state.clusterId()).contains(MINE);
    }

    @Test
    void aServerThatAnswersWithAnotherClusterIsNotJoinedEvenIfItAccepts() throws Exception {
        loop();
        state.joined(MINE);
        server.answering(request -> registered(OTHER));
        loop.tick();
        assertThat(membership.joined()).isFalse();
        assertThat(membership.facingOtherCluster()).isTrue();
    }

    @Test
    void aRefusalForGoodEndsTheJoin() {
        server.answering(request -> {
            throw refusal(ErrorCode.ALREADY_EXISTS, "node name 'n1' is already registered from 192.0.2.99");
        });
        assertThatThrownBy(() -> loop().join()).isInstanceOf(MembershipLoop.Refused.class)
                .hasMessage("node name 'n1' is already registered from 192.0.2.99");
        assertThat(state.clusterId()).isEmpty();
    }

    @Test
    void heartbeatsWaitNoLongerThanTheirLeaseCanUseAndANodeShownDownRegistersAgainKeepingItsCluster() throws Exception {
        server.answering(request -> registered(MINE));
        loop().join();
        server.calls.clear();

        server.answering(request -> new Done());
        loop.tick();
        Heartbeat beat = server.requests(Heartbeat.class).get(0);
        assertThat(beat.clusterId()).isEqualTo(MINE);
        assertThat(server.calls.get(0).timeout()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(rejoined).hasValue(0);

        server.answering(request -> {
            if (request instanceof Heartbeat) {
                throw refusal(ErrorCode.NOT_FOUND, "node 'n1' missed its heartbeats and is shown down; it must register again");
            }
            return registered(MINE);
        });
        loop.tick();
        assertThat(server.requests(RegisterNode.class)).singleElement().extracting(RegisterNode::clusterId).isEqualTo(MINE);
        assertThat(rejoined).hasValue(1);
        assertThat(membership.joined()).isTrue();
    }

    @Test
    void aServerThatTurnsOutToServeAnotherClusterIsAskedAgainOnlyNowAndThen() throws Exception {
        server.answering(request -> registered(MINE));
        loop().join();
        AtomicInteger registrations = new AtomicInteger();
        server.answering(request -> {
            if (request instanceof RegisterNode) {
                registrations.incrementAndGet();
            }
            throw refusal(ErrorCode.WRONG_CLUSTER, "this server serves cluster " + OTHER + ", but node 'n1' belongs to cluster " + MINE);
        });
        loop.tick();
        assertThat(membership.facingOtherCluster()).isTrue();
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofMillis(500));
            loop.tick();
        }
        assertThat(registrations).as("not before %s", MembershipLoop.RETRY_OTHER_CLUSTER).hasValue(0);
        clock.advance(Duration.ofMillis(500));
        loop.tick();
        assertThat(registrations).hasValue(1);
        loop.tick();
        assertThat(registrations).hasValue(1);

        server.answering(request -> registered(MINE));
        clock.advance(MembershipLoop.RETRY_OTHER_CLUSTER);
        loop.tick();
        assertThat(membership.joined()).isTrue();
        assertThat(rejoined).hasValue(1);
    }

    @Test
    void aFirstJoinBringsTheTokensSecretThenTheNodeRemembersItsClusterAndServers() throws Exception {
        String serverKey = org.zeromq.ZMQ.Curve.generateKeyPair().publicKey;
        state = new NodeState(stateDir.resolve("state"));
        Trust trust = Trust.of("n1", state, java.util.Optional.of(new dev.trama.identity.JoinToken(MINE, serverKey,
                "0123456789abcdef0123456789abcdef")));
        loop = new MembershipLoop("n1", "192.0.2.11", server, membership, state, trust, clock, clock::sleep, listening::get);
        server.answering(request -> registered(MINE));
        loop.join();
        RegisterNode first = server.requests(RegisterNode.class).get(0);
        assertThat(first.joinSecret()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(first.clusterId()).isEqualTo(MINE);
        assertThat(state.serverKey()).contains(serverKey);
        assertThat(state.clusterId()).contains(MINE);

        // from now on it is a member: its key says who it is, and it needs no token
        Trust after = Trust.of("n1", state, java.util.Optional.empty());
        assertThat(after.joinSecret()).isNull();
        new MembershipLoop("n1", "192.0.2.11", server, membership, state, after, clock, clock::sleep, listening::get).join();
        assertThat(server.requests(RegisterNode.class).get(1).joinSecret()).isNull();
    }

    @Test
    void aFirstJoinWithoutATokenOrWithARefusedOneEndsWithTheReason() {
        state = new NodeState(stateDir.resolve("state"));
        assertThatThrownBy(() -> Trust.of("n1", state, java.util.Optional.empty()))
                .hasMessage("node 'n1' has not joined a cluster yet: give it the cluster's join token with --token,"
                        + " --token-file or TRAMA_JOIN_TOKEN ('trama-server join-token' prints it)");
        Trust trust = Trust.of("n1", state, java.util.Optional.of(new dev.trama.identity.JoinToken(MINE,
                org.zeromq.ZMQ.Curve.generateKeyPair().publicKey, "0123456789abcdef0123456789abcdef")));
        server.answering(request -> {
            throw refusal(ErrorCode.NOT_ADMITTED, "the join token of node 'n1' is not valid for this cluster (it is"
                    + " another cluster's, or was rotated)");
        });
        assertThatThrownBy(() -> new MembershipLoop("n1", "192.0.2.11", server, membership, state, trust, clock,
                clock::sleep, listening::get).join()).isInstanceOf(MembershipLoop.Refused.class).hasMessageContaining("is not valid");
        assertThat(state.serverKey()).as("nothing is trusted before the node is in").isEmpty();
    }

    @Test
    void aNodeThatJoinedOneClusterTakesNoTokenOfAnother() {
        state = new NodeState(stateDir.resolve("state"));
        state.trustServer(org.zeromq.ZMQ.Curve.generateKeyPair().publicKey);
        state.joined(MINE);
        assertThatThrownBy(() -> Trust.of("n1", state, java.util.Optional.of(new dev.trama.identity.JoinToken(OTHER,
                org.zeromq.ZMQ.Curve.generateKeyPair().publicKey, "0123456789abcdef0123456789abcdef"))))
                .hasMessage("node 'n1' already belongs to cluster " + MINE + ", whose servers are not the ones of this"
                        + " join token; run 'trama leave' on this host before joining another cluster");
    }

    @Test
    void aServerThatListensButDoesNotAnswerATokensFirstJoinEndsItWithTheReason() {
        state = new NodeState(stateDir.resolve("state"));
        Trust trust = Trust.of("n1", state, java.util.Optional.of(new dev.trama.identity.JoinToken(MINE,
                org.zeromq.ZMQ.Curve.generateKeyPair().publicKey, "0123456789abcdef0123456789abcdef")));
        server.answering(request -> {
            throw refusal(ErrorCode.UNAVAILABLE, "the server did not answer within 5.0 s (2 tries)");
        });
        listening.set(true);
        assertThatThrownBy(() -> new MembershipLoop("n1", "192.0.2.11", server, membership, state, trust, clock,
                clock::sleep, listening::get).join()).isInstanceOf(MembershipLoop.Refused.class)
                .hasMessage("the server listens but does not answer node 'n1': it does not prove the key of the join token"
                        + " (the token is another cluster's, or the server runs --insecure)");
    }

    @Test
    void aMembersServerThatListensButStopsAnsweringIsTakenForAStrangerAfterAWhile() throws Exception {
        state = new NodeState(stateDir.resolve("state"));
        state.trustServer(org.zeromq.ZMQ.Curve.generateKeyPair().publicKey);
        state.joined(MINE);
        loop = new MembershipLoop("n1", "192.0.2.11", server, membership, state, Trust.of("n1", state,
                java.util.Optional.empty()), clock, clock::sleep, listening::get);
        server.answering(request -> registered(MINE));
        loop.join();
        server.answering(request -> {
            throw refusal(ErrorCode.UNAVAILABLE, "the server did not answer within 1.5 s");
        });
        listening.set(true);
        for (int i = 0; i < 20; i++) {
            loop.tick();
            clock.advance(Duration.ofMillis(500));
        }
        assertThat(membership.joined()).as("a busy server is not a stranger yet").isTrue();
        loop.tick();
        assertThat(membership.facingOtherCluster()).isTrue();
        assertThat(membership.notJoined()).startsWith("the server listens but does not answer node 'n1': it does not"
                + " prove the key this node trusts").contains("every container and link of this host is kept as it is");
    }

    @Test
    void whileLeavingNothingIsSent() throws Exception {
        server.answering(request -> registered(MINE));
        loop().join();
        server.calls.clear();
        membership.leaving(true);
        loop.tick();
        assertThat(server.calls).isEmpty();
    }
}
