import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The development identity provider's refresh tokens: opaque random strings, as Cognito's are to the client.
 *
 * Kept in the data folder (`dev-refresh-tokens.json`), not in memory, for the same reason the signing key is: a
 * restart of `npm start` must not sign out the browser that is using the portal, and the web app's session then
 * carries on as it would against Cognito. Only the SHA-256 of each token is stored, so the file is not a list of
 * usable credentials. A token lasts 30 days (Cognito's default) and is not rotated on use (Cognito's default).
 */
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60_000;

const RecordSchema = z
  .object({
    username: z.string().min(1),
    clientId: z.string().min(1),
    scope: z.string(),
    authTime: z.number().int(),
    expiresAt: z.number().int(),
  })
  .strict();
export type RefreshGrant = Omit<z.infer<typeof RecordSchema>, 'expiresAt'>;

const FileSchema = z.record(z.string().regex(/^[0-9a-f]{64}$/), RecordSchema);

export class RefreshTokens {
  constructor(
    private readonly file: string,
    private readonly clock: () => Date,
  ) {}

  issue(grant: RefreshGrant): string {
    const token = randomBytes(48).toString('base64url');
    const now = this.clock().getTime();
    const kept = Object.fromEntries(Object.entries(this.read()).filter(([, record]) => record.expiresAt > now));
    this.write({ ...kept, [digest(token)]: { ...grant, expiresAt: now + REFRESH_TOKEN_LIFETIME_MS } });
    return token;
  }

  /** The grant a live token carries, or undefined for an unknown or expired one. */
  find(token: string): RefreshGrant | undefined {
    const record = this.read()[digest(token)];
    if (!record || record.expiresAt <= this.clock().getTime()) return undefined;
    const { expiresAt: _expiresAt, ...grant } = record;
    return grant;
  }

  private read(): z.infer<typeof FileSchema> {
    if (!existsSync(this.file)) return {};
    // A damaged file only signs everyone out: refresh tokens are a convenience, and signing in again is cheap.
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  private write(records: z.infer<typeof FileSchema>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(records)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
