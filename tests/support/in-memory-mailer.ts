import type { Mailer, OutgoingEmail } from '../../lambdas/domain/mailer';

/** What a test sees of a crash: the transport accepted the message, then the process "died" before returning. */
export class SimulatedCrash extends Error {}

/**
 * A Mailer that keeps what it is given. Its witness (`wasSent`) is its own list of accepted messages, which is
 * what the SES witness is too: a record kept apart from the notice's history.
 */
export class InMemoryMailer implements Mailer {
  /**
   * @param afterAccepting called with each message once it is accepted and witnessed, before `send` returns: a
   *   test can move its clock (a slow transport) or throw (a crash after sending) there.
   */
  constructor(private readonly afterAccepting: (email: OutgoingEmail) => void = () => {}) {}

  private readonly accepted: OutgoingEmail[] = [];
  private crashesAfterSend = 0;
  private readonly refused = new Set<string>();

  /** Messages to `address` are refused before they are accepted, as SES refuses an unverified sandbox address. */
  refuseMessagesTo(address: string): void {
    this.refused.add(address);
  }

  /** The next `count` sends are accepted (and witnessed) and then throw, as if the sender died right after. */
  crashAfterSending(count = 1): void {
    this.crashesAfterSend = count;
  }

  async send(email: OutgoingEmail): Promise<{ transportId: string }> {
    const refused = email.to.find((address) => this.refused.has(address));
    if (refused) throw new Error(`MessageRejected: ${refused} is not accepted`);
    this.accepted.push({ ...email, to: [...email.to] });
    const transportId = `mem-${this.accepted.length}`;
    this.afterAccepting(email);
    if (this.crashesAfterSend > 0) {
      this.crashesAfterSend--;
      throw new SimulatedCrash(`crashed after sending ${email.id}`);
    }
    return { transportId };
  }

  async wasSent(id: string): Promise<boolean> {
    return this.accepted.some((email) => email.id === id);
  }

  /** Every message accepted so far, oldest first (copies). */
  get sent(): OutgoingEmail[] {
    return this.accepted.map((email) => ({ ...email, to: [...email.to] }));
  }
}
