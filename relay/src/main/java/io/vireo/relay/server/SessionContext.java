package io.vireo.relay.server;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import java.time.Clock;
import java.util.function.Consumer;

/** What every session of one server shares: settings, the spool and the policies. Immutable. */
record SessionContext(
    ServerSettings settings,
    Spool spool,
    MessageIdGenerator ids,
    Clock clock,
    Consumer<Envelope> onAccepted,
    RelayPolicy relayPolicy,
    ServiceExtensions extensions,
    ServerSecurity security) {}
