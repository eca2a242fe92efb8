import * as z from '../domain/zod';

/**
 * Optional on every change: a retry with the same key returns the first result instead of failing. In a file of its
 * own because the HTTP layer that every function shares reads it (lambdas/http/api-handler.ts): importing it from
 * contract.ts would put every schema of the contract into every bundle, health's included.
 */
export const IdempotencyKeySchema = /* @__PURE__ */ (() =>
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8–128 characters of letters, digits, ".", "_", ":" or "-"')))();
