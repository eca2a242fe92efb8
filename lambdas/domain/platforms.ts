import * as z from 'zod';
import { ActorSchema, PlatformIdSchema, RoleSchema } from './caller';
import { IsoInstantSchema, JurisdictionSchema } from './notice';
import { multilineText, text } from './text';

/** Where a platform is established: a place, not a deadline rule, so it names no holiday types. */
const PlatformJurisdictionSchema = /* @__PURE__ */ JurisdictionSchema.omit({ holidayTypes: true });

/**
 * Platforms and the people who act for them. A platform keeps its id for life: renamed (Twitter → X) it keeps its
 * notices under the same id; merged into another, its notices become visible to the successor's users. Each such
 * change is kept as a provenance record — who, when, what it was before, and why.
 */
export const PlatformProvenanceSchema = /* @__PURE__ */ z.object({
  at: IsoInstantSchema,
  by: ActorSchema,
  kind: z.enum(['onboarded', 'renamed', 'contacts-changed', 'merged-into', 'absorbed']),
  reason: z.string().optional(),
  /** What changed: e.g. `{ from: { legalName }, to: { legalName } }`, or the other platform of a merger. */
  details: z.record(z.string(), z.unknown()),
});

export const PlatformSchema = /* @__PURE__ */ z
  .object({
    platformId: PlatformIdSchema,
    legalName: z.string(),
    tradingNames: z.array(z.string()),
    jurisdiction: PlatformJurisdictionSchema,
    /** Where notices are served; drafts for this platform take these unless they name others. */
    contacts: z.array(z.string()),
    status: z.enum(['active', 'merged']),
    mergedInto: PlatformIdSchema.optional(),
    /** Platforms merged into this one: their notices are this platform's users' too. */
    predecessors: z.array(PlatformIdSchema),
    version: z.number().int(),
    createdAt: IsoInstantSchema,
    provenance: z.array(PlatformProvenanceSchema),
  })
  .meta({ id: 'Platform' });
export type Platform = z.infer<typeof PlatformSchema>;

const Names = {
  legalName: text({ min: 2, max: 300 }),
  tradingNames: z.array(text({ min: 1, max: 200 })).max(20),
};

export const CreatePlatformRequestSchema = /* @__PURE__ */ z
  .object({
    platformId: PlatformIdSchema,
    legalName: Names.legalName,
    tradingNames: Names.tradingNames.default([]),
    jurisdiction: PlatformJurisdictionSchema,
    contacts: z.array(z.email()).min(1, 'give at least one address where notices are served').max(20),
  })
  .strict()
  .meta({ id: 'CreatePlatformRequest' });

export const RenamePlatformRequestSchema = /* @__PURE__ */ z
  .object({
    legalName: Names.legalName,
    tradingNames: Names.tradingNames,
    reason: multilineText({ min: 3, max: 2000 }),
  })
  .strict()
  .meta({ id: 'RenamePlatformRequest' });

export const ContactsRequestSchema = /* @__PURE__ */ z
  .object({ contacts: z.array(z.email()).min(1).max(20), reason: multilineText({ min: 3, max: 2000 }) })
  .strict()
  .meta({ id: 'ContactsRequest' });

export const MergePlatformRequestSchema = /* @__PURE__ */ z
  .object({ into: PlatformIdSchema, reason: multilineText({ min: 3, max: 2000 }) })
  .strict()
  .meta({ id: 'MergePlatformRequest' });

/** A person known to the portal. Every signed-in caller must have an active record here. */
export const PortalUserSchema = /* @__PURE__ */ z
  .object({
    subject: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    platformId: PlatformIdSchema.optional(),
    status: z.enum(['active', 'disabled']),
    invitedAt: IsoInstantSchema,
    invitedBy: ActorSchema,
    disabledAt: IsoInstantSchema.optional(),
    disabledBy: ActorSchema.optional(),
    disabledReason: z.string().optional(),
  })
  .meta({ id: 'PortalUser' });
export type PortalUser = z.infer<typeof PortalUserSchema>;

export const InviteUserRequestSchema = /* @__PURE__ */ z
  .object({
    email: z.email(),
    name: text({ min: 1, max: 200 }),
    role: RoleSchema,
    /** Required for platform-responder, refused for regulator roles. */
    platformId: PlatformIdSchema.optional(),
  })
  .strict()
  .meta({ id: 'InviteUserRequest' });
export type InviteUserRequest = z.infer<typeof InviteUserRequestSchema>;

export const DisableUserRequestSchema = /* @__PURE__ */ z
  .object({ reason: multilineText({ min: 3, max: 2000 }) })
  .strict()
  .meta({ id: 'DisableUserRequest' });
