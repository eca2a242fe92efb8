import { z } from 'zod';
import { PlatformIdSchema } from '../domain/caller';
import { IsoInstantSchema, NoticeIdSchema, NoticeSchema, NoticeStatusSchema } from '../domain/notice';
import { NoticeEventSchema } from '../domain/notice-event';

/**
 * Request and response shapes of the HTTP API beyond the domain's own schemas. Handlers parse with these and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */

export const NoticePathSchema = z.object({ noticeId: NoticeIdSchema }).meta({ id: 'NoticePath' });

export const ListNoticesQuerySchema = z
  .object({
    status: NoticeStatusSchema.optional(),
    platformId: PlatformIdSchema.optional(),
    dueBefore: IsoInstantSchema.optional().meta({ description: 'Only notices due strictly before this instant.' }),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional().meta({ description: 'nextCursor from the previous page.' }),
  })
  .strict();

export const HistoryQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(100),
    cursor: z.string().max(2048).optional(),
  })
  .strict();

export const WithdrawRequestSchema = z
  .object({ reason: z.string().trim().min(3, 'must say why the notice is withdrawn').max(2000) })
  .strict()
  .meta({ id: 'WithdrawRequest' });

export const NoticePageSchema = z
  .object({ items: z.array(NoticeSchema), nextCursor: z.string().optional() })
  .meta({ id: 'NoticePage' });

export const HistoryPageSchema = z
  .object({ items: z.array(NoticeEventSchema), nextCursor: z.string().optional() })
  .meta({ id: 'HistoryPage' });

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Optional on every change: a retry with the same key returns the first result instead of failing. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8–128 characters of letters, digits, ".", "_", ":" or "-"');

export { IsoInstantSchema };
