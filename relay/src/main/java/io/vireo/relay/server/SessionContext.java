package io.vireo.relay.server;

import io.vireo.queue.MessageIdGenerator;
import java.time.Clock;

/** What every session of one server shares: settings, the intake and the policies. Immutable. */
record SessionContext(
    ServerSettings settings,
    MessageIntake intake,
    MessageIdGenerator ids,
    Clock clock,
    RelayPolicy relayPolicy,
    SenderQuotas quotas,
    ServiceExtensions extensions,
    ServerSecurity security,
    RecipientCheck recipientCheck) {}
