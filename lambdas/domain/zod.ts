/**
 * The portal's zod: zod/mini, zod's functional API (`z.optional(s)`, `s.check(z.maxLength(n))` where the classic
 * API has methods). It builds the same schemas with the same issues and messages, and its module and schemas are
 * lighter: each function's cold start is 11–16 ms cheaper than with the classic API (docs/PERFORMANCE.md, "Lambda
 * cold start"). Every module of lambdas/ imports zod from here, type-only imports too, so there is one place to look:
 *
 * - zod/mini loads no locale, so this module configures English, the classic API's default, before any schema
 *   exists: every issue message is exactly what it was;
 * - {@link described} and {@link strict} are the two classic methods zod/mini has no function for, with the
 *   classic API's semantics.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());

export * from 'zod/mini';

/**
 * The schema with metadata for the OpenAPI document (the classic `.meta(…)`): a copy registered in the global
 * registry, which inherits the original's metadata (but not its `id`), so the original keeps its own.
 */
export function described<T extends z.ZodMiniType>(schema: T, meta: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, meta);
  return copy;
}

/** The object schema refusing unknown keys (the classic `.strict()`), keeping its checks. */
export function strict<Shape extends z.core.$ZodShape>(
  schema: z.ZodMiniObject<Shape>,
): z.ZodMiniObject<Shape, z.core.$strict> {
  return schema.clone({ ...schema._zod.def, catchall: z.never() }) as unknown as z.ZodMiniObject<Shape, z.core.$strict>;
}
