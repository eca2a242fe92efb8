import * as z from './zod';

/** Roles as carried in the token's `cognito:groups` claim. */
export const ROLES = ['regulator-admin', 'regulator-officer', 'platform-responder'] as const;
export const RoleSchema = /* @__PURE__ */ z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const REGULATOR_ROLES: readonly Role[] = ['regulator-admin', 'regulator-officer'];

/** Platform ids are short slugs chosen at onboarding (`x-corp`), so they read well in keys, logs and URLs. */
export const PlatformIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be a lower-case slug such as "x-corp"')))();

/** Who is calling, as established from a verified token. */
export interface Caller {
  subject: string;
  name?: string;
  email?: string;
  roles: Role[];
  /** Present exactly when the caller is a platform user; tenant isolation hangs on it. */
  platformId?: string;
  /**
   * The platforms whose notices a platform user may see: their own, and any merged into it (from the directory).
   * Absent until the directory has been consulted; then `platformId` alone counts.
   */
  platformIds?: string[];
  /** `api-client` for a platform's machine client (client credentials); a person otherwise. */
  via?: 'user' | 'api-client';
}

/** The part of a caller that is written into the record of a change. */
export const ActorSchema = /* @__PURE__ */ (() =>
  z.object({
    subject: z.string(),
    name: z.optional(z.string()),
    email: z.optional(z.string()),
    /** `system` for what the portal does on its own schedule (reminders). */
    role: z.union([RoleSchema, z.literal('system')]),
    platformId: z.optional(PlatformIdSchema),
  }))();
export type Actor = z.infer<typeof ActorSchema>;

/** The portal itself, as the actor of scheduled work. */
export const SYSTEM_ACTOR: Actor = { subject: 'system:reminders', name: 'Notice portal reminders', role: 'system' };

export function isRegulator(caller: Caller): boolean {
  return caller.roles.some((role) => REGULATOR_ROLES.includes(role));
}

/** Whether a platform user may see `platformId`'s records (their own platform, or one merged into it). */
export function actsFor(caller: Caller, platformId: string): boolean {
  if (!isPlatformUser(caller)) return false;
  return caller.platformIds ? caller.platformIds.includes(platformId) : caller.platformId === platformId;
}

export function isPlatformUser(caller: Caller): boolean {
  return caller.roles.includes('platform-responder') && caller.platformId !== undefined;
}

/** The actor record for a change made with one of `allowed` roles (the caller's first such role). */
export function actorFor(caller: Caller, allowed: readonly Role[]): Actor | undefined {
  const role = caller.roles.find((r) => allowed.includes(r));
  if (!role) return undefined;
  return {
    subject: caller.subject,
    name: caller.name,
    email: caller.email,
    role,
    platformId: role === 'platform-responder' ? caller.platformId : undefined,
  };
}
