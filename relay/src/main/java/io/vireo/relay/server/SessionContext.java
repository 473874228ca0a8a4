package io.vireo.relay.server;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.relay.intake.MessageIntake;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What every session of one server shares: settings, the intake and the policies. Immutable.
 *
 * @param counted told of each message a session of this server got stored, for its listener stats
 */
record SessionContext(
    ServerSettings settings,
    MessageIntake intake,
    Consumer<Envelope> counted,
    MessageIdGenerator ids,
    Clock clock,
    RelayPolicy relayPolicy,
    SenderQuotas quotas,
    ServiceExtensions extensions,
    ServerSecurity security,
    RecipientCheck recipientCheck) {}
