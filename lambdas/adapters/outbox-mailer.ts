import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, OutgoingEmail } from '../domain/mailer';

export interface OutboxMessage extends OutgoingEmail {
  from: string;
  acceptedAt: string;
}

/**
 * The local portal's mail transport: each message is a JSON file named by its id in the outbox folder. Writing
 * with the `wx` flag makes a second send of the same id a no-op, and the file's existence is the witness.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly directory: string,
    private readonly sender: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(email: OutgoingEmail): Promise<{ transportId: string }> {
    if (!/^[A-Za-z0-9_.-]+$/.test(email.id)) throw new Error(`Unsafe message id "${email.id}"`);
    await mkdir(this.directory, { recursive: true });
    const message: OutboxMessage = { ...email, from: this.sender, acceptedAt: this.clock().toISOString() };
    try {
      await writeFile(this.fileOf(email.id), `${JSON.stringify(message, null, 2)}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return { transportId: `outbox:${email.id}` };
  }

  async wasSent(id: string): Promise<boolean> {
    return existsSync(this.fileOf(id));
  }

  /** Every message in the outbox, oldest first. */
  async list(): Promise<OutboxMessage[]> {
    if (!existsSync(this.directory)) return [];
    const files = (await readdir(this.directory)).filter((f) => f.endsWith('.json'));
    const messages = await Promise.all(
      files.map(async (f) => JSON.parse(await readFile(join(this.directory, f), 'utf8')) as OutboxMessage),
    );
    return messages.sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt) || a.id.localeCompare(b.id));
  }

  private fileOf(id: string): string {
    return join(this.directory, `${id}.json`);
  }
}
