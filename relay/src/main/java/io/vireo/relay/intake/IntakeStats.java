package io.vireo.relay.intake;

/** Messages the intake stored and handed to delivery, from every submitter, and their recipients. */
public record IntakeStats(long messages, long recipients) {}
