import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role } from '../domain/caller';
import type { IdentityAdmin } from '../domain/identity-admin';

/**
 * The development identity provider's accounts (local portal only): a JSON file in the data folder, read by the
 * dev IdP's token endpoint and sign-in page, written by the invite/disable handlers through `DevIdentityAdmin`.
 * Passwords are stored as scrypt hashes even here, so the file is never a list of passwords.
 */
export interface DevUser {
  username: string;
  subject: string;
  name: string;
  email: string;
  groups: Role[];
  platformId?: string;
}

export interface DevAccount extends DevUser {
  enabled: boolean;
  passwordHash?: string;
}

export class DevUserRegistry {
  constructor(private readonly file: string) {}

  all(): DevAccount[] {
    if (!existsSync(this.file)) return [];
    return JSON.parse(readFileSync(this.file, 'utf8')) as DevAccount[];
  }

  find(usernameOrEmail: string): DevAccount | undefined {
    return this.all().find((a) => a.username === usernameOrEmail || a.email === usernameOrEmail);
  }

  /** Adds the account, or leaves an existing one with the same username as it is. */
  ensure(account: DevAccount): void {
    const accounts = this.all();
    if (!accounts.some((a) => a.username === account.username)) this.write([...accounts, account]);
  }

  update(subject: string, change: (account: DevAccount) => DevAccount): void {
    this.write(this.all().map((a) => (a.subject === subject ? change(a) : a)));
  }

  checkPassword(account: DevAccount, password: string): boolean {
    if (!account.passwordHash) return false;
    const [salt, hash] = account.passwordHash.split(':');
    if (salt === undefined || hash === undefined) {
      throw new Error(`The dev registry's password hash for ${account.subject} is not "<salt>:<hash>".`);
    }
    const candidate = scryptSync(password, Buffer.from(salt, 'hex'), 32);
    return timingSafeEqual(candidate, Buffer.from(hash, 'hex'));
  }

  static hashPassword(password: string): string {
    const salt = randomBytes(16);
    return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
  }

  private write(accounts: DevAccount[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

/** IdentityAdmin over the development registry: invited users get a temporary password to sign in with. */
export class DevIdentityAdmin implements IdentityAdmin {
  constructor(private readonly registry: DevUserRegistry) {}

  async createUser(user: { email: string; name: string; role: Role; platformId?: string }) {
    if (this.registry.find(user.email)) throw new Error(`A development account for ${user.email} already exists`);
    const temporaryPassword = randomBytes(9).toString('base64url');
    const subject = randomUUID();
    this.registry.ensure({
      username: user.email,
      subject,
      name: user.name,
      email: user.email,
      groups: [user.role],
      platformId: user.platformId,
      enabled: true,
      passwordHash: DevUserRegistry.hashPassword(temporaryPassword),
    });
    return { subject, temporaryPassword };
  }

  async disableUser(user: { subject: string }) {
    this.registry.update(user.subject, (a) => ({ ...a, enabled: false }));
  }

  async enableUser(user: { subject: string }) {
    this.registry.update(user.subject, (a) => ({ ...a, enabled: true }));
  }
}
