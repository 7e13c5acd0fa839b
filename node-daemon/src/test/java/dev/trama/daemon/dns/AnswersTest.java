package dev.trama.daemon.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.Task;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswersTest {

    private final NameTable names = new NameTable();
    private final Answers answers = new Answers(names);

    @BeforeEach
    void aClusterWithTwoContainers() {
        names.update(new Task.Names(5, Map.of("web2", "10.10.0.7", "db.main", "10.10.0.8")));
    }

    static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private Message answer(String name, int type) throws Exception {
        Message query = query(name, type);
        Message response = answers.answer(query).orElseThrow();
        // what goes on the wire reads back the same
        Message read = new Message(response.toWire());
        assertThat(read.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(read.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(read.getQuestion()).isEqualTo(query.getQuestion());
        return read;
    }

    private static String address(Message response) {
        return ((ARecord) response.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress();
    }

    @Test
    void aContainerResolvesInTheClustersDomainAndAsASingleLabel() throws Exception {
        Message full = answer("web2.trama.", Type.A);
        assertThat(full.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(full.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(address(full)).isEqualTo("10.10.0.7");
        assertThat(full.getSection(Section.ANSWER).get(0).getTTL()).isZero();
        assertThat(full.getSection(Section.ANSWER).get(0).getName()).isEqualTo(Name.fromString("web2.trama."));

        assertThat(address(answer("web2.", Type.A))).isEqualTo("10.10.0.7");
        assertThat(address(answer("db.main.trama.", Type.A))).isEqualTo("10.10.0.8");
    }

    @Test
    void namesAreCaseInsensitive() throws Exception {
        assertThat(address(answer("WEB2.Trama.", Type.A))).isEqualTo("10.10.0.7");
        assertThat(address(answer("Web2.", Type.A))).isEqualTo("10.10.0.7");
    }

    @Test
    void aKnownNameHasNoOtherRecordThanA() throws Exception {
        Message aaaa = answer("web2.trama.", Type.AAAA);
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
        assertThat(aaaa.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);
    }

    @Test
    void anUnknownNameInTheClustersDomainDoesNotExist() throws Exception {
        Message unknown = answer("web9.trama.", Type.A);
        assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(unknown.getSection(Section.ANSWER)).isEmpty();
        assertThat(unknown.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getTTL).isEqualTo(0L);
    }

    @Test
    void theDomainItselfHasItsSoaOnly() throws Exception {
        assertThat(answer("trama.", Type.SOA).getSection(Section.ANSWER)).singleElement()
                .extracting(Record::getType).isEqualTo(Type.SOA);
        Message a = answer("trama.", Type.A);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(a.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void otherNamesAreForTheHostsResolvers() throws Exception {
        assertThat(answers.answer(query("example.org.", Type.A))).isEmpty();
        assertThat(answers.answer(query("web9.", Type.A))).isEmpty();
        assertThat(answers.answer(query("web2.example.org.", Type.A))).isEmpty();
        // a name of the cluster with dots is not taken for a name outside it
        assertThat(answers.answer(query("db.main.", Type.A))).isEmpty();
    }

    @Test
    void aRemovedNameStopsResolvingAndAnOlderTableChangesNothing() throws Exception {
        names.update(new Task.Names(6, Map.of("db.main", "10.10.0.8")));
        assertThat(answer("web2.trama.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(names.update(new Task.Names(4, Map.of("web2", "10.10.0.7")))).isFalse();
        assertThat(answer("web2.trama.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void oddQueriesGetAnErrorNotAnAnswer() throws Exception {
        Message notify = query("web2.trama.", Type.A);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(answers.answer(notify)).map(Message::getRcode).contains(Rcode.NOTIMP);

        Message empty = new Message();
        assertThat(answers.answer(empty)).map(Message::getRcode).contains(Rcode.FORMERR);

        Message chaos = Message.newQuery(Record.newRecord(Name.fromString("web2.trama."), Type.TXT, DClass.CH));
        assertThat(answers.answer(chaos)).map(Message::getRcode).contains(Rcode.REFUSED);
    }

    @Test
    void responsesAreNotQueries() throws Exception {
        Message response = answer("web2.trama.", Type.A);
        assertThat(Answers.isQuery(response)).isFalse();
        assertThat(Answers.isQuery(query("web2.trama.", Type.A))).isTrue();
        assertThat(Optional.of(response)).isPresent();
    }

    @Test
    void theRecursionBitsOfTheQueryAreKept() throws Exception {
        Message response = answer("web2.trama.", Type.A);
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RA)).isTrue();
    }
}
