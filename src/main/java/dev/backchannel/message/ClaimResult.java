package dev.backchannel.message;

/**
 * The answer to a claim, release or ack: {@code claimed}, {@code already_claimed},
 * {@code already_acknowledged}, {@code released}, {@code acknowledged}.
 */
public record ClaimResult(String status, Message message) {}
