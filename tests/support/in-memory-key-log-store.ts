import type { DirectoryEvent } from '../../lambdas/domain/directory-chain';
import type { KeyLogStore } from '../../lambdas/domain/key-log-store';
import type { SigningKey } from '../../lambdas/domain/signing-keys';

/** Platforms' key logs in memory, with the conditional append of the DynamoDB store (one writer per seq). */
export class InMemoryKeyLogStore implements KeyLogStore {
  readonly logs = new Map<string, DirectoryEvent[]>();
  /** Keys whose change is not yet logged, by `<platform>/<kid>`, with the instant it was marked. */
  readonly pending = new Map<string, { platformId: string; kid: string; since: string }>();

  mark(key: SigningKey): void {
    this.pending.set(`${key.platformId}/${key.kid}`, {
      platformId: key.platformId,
      kid: key.kid,
      since: key.revokedAt ?? key.registeredAt,
    });
  }

  async platformKeyLog(platformId: string): Promise<DirectoryEvent[]> {
    return structuredClone(this.logs.get(platformId) ?? []);
  }

  async appendKeyLog(platformId: string, event: DirectoryEvent): Promise<boolean> {
    const log = this.logs.get(platformId) ?? [];
    if (log.length + 1 !== event.seq) return false;
    log.push(structuredClone(event));
    this.logs.set(platformId, log);
    return true;
  }

  async keyLogDone(logged: SigningKey): Promise<void> {
    this.pending.delete(`${logged.platformId}/${logged.kid}`);
  }

  async pendingKeyLogs(before: string, limit: number): Promise<{ platformId: string; kid: string }[]> {
    return [...this.pending.values()]
      .filter((p) => p.since < before)
      .sort((a, b) => a.since.localeCompare(b.since))
      .slice(0, limit)
      .map(({ platformId, kid }) => ({ platformId, kid }));
  }
}
