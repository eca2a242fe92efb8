import { ActorSchema, PlatformIdSchema, RoleSchema } from './caller';
import { IsoInstantSchema, JurisdictionSchema } from './notice';
import { multilineText, text } from './text';
import * as z from './zod';

/** Where a platform is established: a place, not a deadline rule, so it names no holiday types. */
const PlatformJurisdictionSchema = /* @__PURE__ */ z.omit(JurisdictionSchema, { holidayTypes: true });

/**
 * Platforms and the people who act for them. A platform keeps its id for life: renamed (Twitter → X) it keeps its
 * notices under the same id; merged into another, its notices become visible to the successor's users. Each such
 * change is kept as a provenance record — who, when, what it was before, and why.
 */
export const PlatformProvenanceSchema = /* @__PURE__ */ (() =>
  z.object({
    at: IsoInstantSchema,
    by: ActorSchema,
    kind: z.enum(['onboarded', 'renamed', 'contacts-changed', 'merged-into', 'absorbed']),
    reason: z.optional(z.string()),
    /** What changed: e.g. `{ from: { legalName }, to: { legalName } }`, or the other platform of a merger. */
    details: z.record(z.string(), z.unknown()),
  }))();

export const PlatformSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      platformId: PlatformIdSchema,
      legalName: z.string(),
      tradingNames: z.array(z.string()),
      jurisdiction: PlatformJurisdictionSchema,
      /** Where notices are served; drafts for this platform take these unless they name others. */
      contacts: z.array(z.string()),
      status: z.enum(['active', 'merged']),
      mergedInto: z.optional(PlatformIdSchema),
      /** Platforms merged into this one: their notices are this platform's users' too. */
      predecessors: z.array(PlatformIdSchema),
      version: z.number().check(z.int()),
      createdAt: IsoInstantSchema,
      provenance: z.array(PlatformProvenanceSchema),
    }),
    { id: 'Platform' },
  ))();
export type Platform = z.infer<typeof PlatformSchema>;

const Names = {
  legalName: text({ min: 2, max: 300 }),
  tradingNames: z.array(text({ min: 1, max: 200 })).check(z.maxLength(20)),
};

export const CreatePlatformRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      platformId: PlatformIdSchema,
      legalName: Names.legalName,
      tradingNames: z._default(Names.tradingNames, []),
      jurisdiction: PlatformJurisdictionSchema,
      contacts: z
        .array(z.email())
        .check(z.minLength(1, 'give at least one address where notices are served'), z.maxLength(20)),
    }),
    { id: 'CreatePlatformRequest' },
  ))();

export const RenamePlatformRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      legalName: Names.legalName,
      tradingNames: Names.tradingNames,
      reason: multilineText({ min: 3, max: 2000 }),
    }),
    { id: 'RenamePlatformRequest' },
  ))();

export const ContactsRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      contacts: z.array(z.email()).check(z.minLength(1), z.maxLength(20)),
      reason: multilineText({ min: 3, max: 2000 }),
    }),
    { id: 'ContactsRequest' },
  ))();

export const MergePlatformRequestSchema = /* @__PURE__ */ (() =>
  z.described(z.strictObject({ into: PlatformIdSchema, reason: multilineText({ min: 3, max: 2000 }) }), {
    id: 'MergePlatformRequest',
  }))();

/** A person known to the portal. Every signed-in caller must have an active record here. */
export const PortalUserSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      subject: z.string(),
      email: z.string(),
      name: z.string(),
      role: RoleSchema,
      platformId: z.optional(PlatformIdSchema),
      status: z.enum(['active', 'disabled']),
      invitedAt: IsoInstantSchema,
      invitedBy: ActorSchema,
      disabledAt: z.optional(IsoInstantSchema),
      disabledBy: z.optional(ActorSchema),
      disabledReason: z.optional(z.string()),
    }),
    { id: 'PortalUser' },
  ))();
export type PortalUser = z.infer<typeof PortalUserSchema>;

export const InviteUserRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      email: z.email(),
      name: text({ min: 1, max: 200 }),
      role: RoleSchema,
      /** Required for platform-responder, refused for regulator roles. */
      platformId: z.optional(PlatformIdSchema),
    }),
    { id: 'InviteUserRequest' },
  ))();
export type InviteUserRequest = z.infer<typeof InviteUserRequestSchema>;

export const DisableUserRequestSchema = /* @__PURE__ */ (() =>
  z.described(z.strictObject({ reason: multilineText({ min: 3, max: 2000 }) }), { id: 'DisableUserRequest' }))();
