/**
 * The outgoing-mail port. Reminders must reach people exactly once, even when a process dies between handing a
 * message to the transport and recording that it did; so besides sending, a mailer can say whether a message
 * with a given id was already accepted by the transport (its witness), independently of our own records.
 */
export interface OutgoingEmail {
  /** Stable id of this message (the reminder id); sending the same id twice must be detectable via `wasSent`. */
  id: string;
  /** The notice the message is about, so an outbox (or a log) can be read notice by notice. */
  noticeId: string;
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  /** Hands the message to the transport; returns the transport's id for it. */
  send(email: OutgoingEmail): Promise<{ transportId: string }>;
  /** Whether the transport has already accepted a message with this id. */
  wasSent(id: string): Promise<boolean>;
}
