package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordCodecTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:15:30.000000123Z");
  private static final MessageIdGenerator IDS =
      new MessageIdGenerator(Clock.fixed(AT, ZoneOffset.UTC));

  private final Bytes<?> bytes = Bytes.allocateElasticOnHeap();

  @Test
  void messageRecordRoundTripsWithSnapshotAndChunkPosition() {
    Envelope envelope =
        new Envelope(
            IDS.next(),
            "",
            List.of(
                new Recipient(
                    "a@example.com", Set.of(Notify.DELAY, Notify.FAILURE), "rfc822;a@example.com"),
                new Recipient("b@example.com", Set.of(), null)),
            BodyType.SEVEN_BIT,
            false,
            Ret.FULL,
            null,
            AT,
            "192.0.2.1",
            "[192.0.2.1]");
    List<RecipientStatus> snapshot =
        List.of(
            new RecipientStatus(
                envelope.recipients().get(0),
                RecipientState.DEFERRED,
                3,
                AT.plusSeconds(900),
                "421 busy"),
            new RecipientStatus(
                envelope.recipients().get(1), RecipientState.BOUNCED, 1, null, "550 no"));

    MessageCodec.writeMessage(
        bytes, envelope, snapshot, 0x1234_0000_0007L, 5_000_000, 0xCAFEBABE, 42L, 5);
    MessageRecord record = MessageCodec.readMessage(bytes);

    assertThat(record)
        .isEqualTo(
            new MessageRecord(
                envelope, 5_000_000, 0xCAFEBABE, 0x1234_0000_0007L, snapshot, 42L, 5));
    assertThat(envelope.hasNullSender()).isTrue();
  }

  @Test
  void inlineContentFollowsTheEnvelope() {
    Envelope envelope = new TestMessages(Clock.fixed(AT, ZoneOffset.UTC)).envelope("a@example.com");
    MessageCodec.writeMessage(
        bytes, envelope, null, ChronicleIndexes.NONE, 3, 7, ChronicleIndexes.NONE, 0);
    bytes.write(new byte[] {1, 2, 3});

    MessageRecord record = MessageCodec.readMessage(bytes);

    assertThat(record.inline()).isTrue();
    assertThat(record.snapshot()).isNull();
    assertThat(bytes.readRemaining()).isEqualTo(3);
  }

  static List<SpoolEvent> events() {
    MessageId id = IDS.next();
    return List.of(
        new SpoolEvent.Delivered(id, "a@example.com", AT, "mx.example.com", "250 2.0.0 ok"),
        new SpoolEvent.Delivered(id, "a@example.com", AT, null, null),
        new SpoolEvent.Deferred(id, "a@example.com", AT, AT.plusSeconds(60), "451 4.7.1 later"),
        new SpoolEvent.Failed(id, "a@example.com", AT, "550 5.1.1 unknown"),
        new SpoolEvent.Bounced(id, "a@example.com", AT, IDS.next()),
        new SpoolEvent.Bounced(id, "a@example.com", AT, null),
        new SpoolEvent.Held(id, "a@example.com", AT),
        new SpoolEvent.Released(id, "a@example.com", AT),
        new SpoolEvent.Deleted(id, "a@example.com", AT));
  }

  @ParameterizedTest
  @MethodSource("events")
  void eventRecordsRoundTrip(SpoolEvent event) {
    EventCodec.write(bytes, event);
    long start = bytes.readPosition();
    assertThat(EventCodec.peekMessageId(bytes)).isEqualTo(event.messageId().value());
    bytes.readPosition(start);

    assertThat(EventCodec.read(bytes)).isEqualTo(event);
  }

  @Test
  void aNewerRecordVersionIsRefusedRatherThanMisread() {
    EventCodec.write(bytes, events().getFirst());
    bytes.writeByte(1, (byte) 4);

    assertThatThrownBy(() -> EventCodec.read(bytes))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("version 4");
  }

  @Test
  void anOperatorEventKindInAVersionTwoRecordIsRefused() {
    EventCodec.write(bytes, new SpoolEvent.Held(IDS.next(), "a@example.com", AT));
    assertThat(bytes.peekUnsignedByte(1)).isEqualTo(3);
    bytes.writeByte(1, RecordCodes.VERSION_2);

    assertThatThrownBy(() -> EventCodec.read(bytes))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("event kind");
  }

  @Test
  void aVersionOneEventWithoutChecksumStillReads() {
    SpoolEvent event = events().getFirst();
    EventCodec.write(bytes, event);
    bytes.writeByte(1, RecordCodes.VERSION_1);
    bytes.writeSkip(-Integer.BYTES); // version 1 had no record checksum

    assertThat(EventCodec.read(bytes)).isEqualTo(event);
    assertThat(bytes.readRemaining()).isZero();
  }

  @Test
  void aFlippedByteInAnEventFailsItsChecksum() {
    SpoolEvent.Delivered event =
        new SpoolEvent.Delivered(IDS.next(), "a@example.com", AT, "mx.example.com", "250 ok");
    EventCodec.write(bytes, event);
    // Inside the recipient: still decodes, to the wrong address, were it not for the checksum.
    long at = 2 + 1 + 1 + 20 + 1;
    bytes.writeByte(at, (byte) 'b');

    assertThatThrownBy(() -> EventCodec.read(bytes))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("fails its record checksum");
  }

  @Test
  void aFlippedByteInAnEnvelopeFailsItsChecksumButNotTheContent() {
    Envelope envelope = new TestMessages(Clock.fixed(AT, ZoneOffset.UTC)).envelope("a@example.com");
    MessageCodec.writeMessage(
        bytes, envelope, null, ChronicleIndexes.NONE, 3, 7, ChronicleIndexes.NONE, 0);
    bytes.write(new byte[] {1, 2, 3});
    long senderByte = 2 + 1 + 20 + 12 + 1;
    byte original = bytes.readByte(senderByte);
    bytes.writeByte(senderByte, (byte) (original ^ 0x20));

    assertThatThrownBy(() -> MessageCodec.readMessage(bytes))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("fails its record checksum");

    bytes.writeByte(senderByte, original);
    bytes.writeByte(bytes.writePosition() - 1, (byte) 9); // content has its own CRC instead
    bytes.readPosition(0);
    assertThat(MessageCodec.readMessage(bytes).envelope()).isEqualTo(envelope);
  }

  @Test
  void aDamagedMessageIdIsADamagedRecordNotACrash() {
    EventCodec.write(bytes, events().getFirst());
    bytes.writeByte(2 + 1 + 1, (byte) 'I'); // not a Crockford digit

    assertThatThrownBy(() -> EventCodec.read(bytes))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("invalid message id");
  }

  @Test
  void chunkHeadersNameTheirMessageAndPlace() {
    MessageId id = IDS.next();
    MessageCodec.writeChunkHeader(bytes, id, 4, 2);
    bytes.write(new byte[] {9, 9});
    long start = bytes.readPosition();

    assertThat(MessageCodec.readChunkHeader(bytes, id, 4)).isEqualTo(2);
    bytes.readPosition(start);
    assertThatThrownBy(() -> MessageCodec.readChunkHeader(bytes, id, 3))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("damaged");
  }
}
