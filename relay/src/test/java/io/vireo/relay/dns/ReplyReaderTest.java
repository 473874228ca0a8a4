package io.vireo.relay.dns;

import static io.vireo.relay.testing.LoopbackDnsServer.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Reading replies: CNAME chains, TTLs of the RRset used, negative TTLs from the SOA (RFC 2308). */
class ReplyReaderTest {

  private static final Duration DEFAULT_NEGATIVE = Duration.ofMinutes(5);

  @Test
  void takesTheSmallestTtlOfTheRecordsAndAliasesUsed() throws Exception {
    Message reply = reply("alias.test", Type.A);
    reply.addRecord(
        new CNAMERecord(name("alias.test"), DClass.IN, 120, name("host.test")), Section.ANSWER);
    reply.addRecord(
        new ARecord(name("host.test"), DClass.IN, 600, InetAddress.getByName("127.0.0.1")),
        Section.ANSWER);
    reply.addRecord(
        new ARecord(name("host.test"), DClass.IN, 500, InetAddress.getByName("127.0.0.2")),
        Section.ANSWER);
    // A record for another owner must not be picked up.
    reply.addRecord(
        new ARecord(name("other.test"), DClass.IN, 5, InetAddress.getByName("127.0.0.9")),
        Section.ANSWER);

    RrsetAnswer answer = ReplyReader.read(reply, name("alias.test"), Type.A, DEFAULT_NEGATIVE);

    assertThat(answer).isInstanceOf(RrsetAnswer.Found.class);
    RrsetAnswer.Found found = (RrsetAnswer.Found) answer;
    assertThat(found.records()).hasSize(2);
    assertThat(found.ttl()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void usesTheSmallerOfSoaTtlAndSoaMinimumForNegativeAnswers() {
    Message nxdomain = reply("gone.test", Type.MX);
    nxdomain.getHeader().setRcode(Rcode.NXDOMAIN);
    nxdomain.addRecord(soa(900, 60), Section.AUTHORITY);
    Message nodata = reply("empty.test", Type.MX);
    nodata.addRecord(soa(45, 3600), Section.AUTHORITY);

    assertThat(ReplyReader.read(nxdomain, name("gone.test"), Type.MX, DEFAULT_NEGATIVE))
        .isEqualTo(new RrsetAnswer.NameError(Duration.ofSeconds(60)));
    assertThat(ReplyReader.read(nodata, name("empty.test"), Type.MX, DEFAULT_NEGATIVE))
        .isEqualTo(new RrsetAnswer.Empty(Duration.ofSeconds(45)));
  }

  @Test
  void treatsAnEmptyAnswerWithoutSoaAsNoDataWithTheDefaultTtl() {
    // dnsmasq's way of saying "no MX": NOERROR, nothing in any section.
    assertThat(
            ReplyReader.read(
                reply("plain.test", Type.MX), name("plain.test"), Type.MX, DEFAULT_NEGATIVE))
        .isEqualTo(new RrsetAnswer.Empty(DEFAULT_NEGATIVE));
  }

  @Test
  void capsTheNegativeTtlOfADanglingAliasAtTheAliasTtl() {
    Message reply = reply("alias.test", Type.MX);
    reply.addRecord(
        new CNAMERecord(name("alias.test"), DClass.IN, 30, name("target.test")), Section.ANSWER);

    assertThat(ReplyReader.read(reply, name("alias.test"), Type.MX, DEFAULT_NEGATIVE))
        .isEqualTo(new RrsetAnswer.Empty(Duration.ofSeconds(30)));
  }

  @Test
  void breaksCnameLoops() {
    Message reply = reply("a.test", Type.MX);
    reply.addRecord(new CNAMERecord(name("a.test"), DClass.IN, 30, name("b.test")), Section.ANSWER);
    reply.addRecord(new CNAMERecord(name("b.test"), DClass.IN, 30, name("a.test")), Section.ANSWER);

    assertThat(ReplyReader.read(reply, name("a.test"), Type.MX, DEFAULT_NEGATIVE))
        .isInstanceOf(RrsetAnswer.Failure.class);
  }

  @Test
  void reportsServerFailuresAndRefusalsAsFailures() {
    for (int rcode : new int[] {Rcode.SERVFAIL, Rcode.REFUSED, Rcode.NOTIMP, Rcode.FORMERR}) {
      Message reply = reply("x.test", Type.MX);
      reply.getHeader().setRcode(rcode);
      reply.addRecord(
          new MXRecord(name("x.test"), DClass.IN, 60, 10, name("mx.x.test")), Section.ANSWER);

      RrsetAnswer answer = ReplyReader.read(reply, name("x.test"), Type.MX, DEFAULT_NEGATIVE);

      assertThat(answer).isInstanceOf(RrsetAnswer.Failure.class);
      assertThat(((RrsetAnswer.Failure) answer).reason()).contains(Rcode.string(rcode));
    }
  }

  private static Message reply(String domain, int type) {
    Message reply = new Message();
    reply.addRecord(Record.newRecord(name(domain), type, DClass.IN), Section.QUESTION);
    return reply;
  }

  private static SOARecord soa(long ttl, long minimum) {
    return new SOARecord(
        name("test"),
        DClass.IN,
        ttl,
        name("ns.test"),
        name("hostmaster.test"),
        1,
        3600,
        600,
        86400,
        minimum);
  }
}
