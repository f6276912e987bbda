package dev.backchannel.actor;

/** The {@code {id, name}} pair that messages carry for authors, claimers and mentions. */
public record ActorRef(String id, String name) {}
