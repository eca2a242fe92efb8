/** One thing the mail transport reported about a message we sent (accepted, delivered, bounced, …). */
export interface EmailDeliveryFact {
  /** Our id of the message (the reminder id), as tagged on it when sent. */
  emailId: string;
  /** The transport's name for what happened: `Send`, `Delivery`, `Bounce`, … (letters and spaces only). */
  eventType: string;
  /** The transport's id of the message; a duplicate send of one e-mail shows up as a second one. */
  messageId: string;
  /** When it happened, as millisecond ISO, so that stored values compare as strings. */
  occurredAt: string;
  /** When the portal first learnt of it. */
  seenAt: string;
}

/**
 * The witness of what became of each e-mail, which `Mailer.wasSent` reads. Reports arrive at least once and in
 * any order, so recording one must be idempotent and order-independent.
 */
export interface EmailDeliveryLog {
  record(fact: EmailDeliveryFact): Promise<void>;
}
