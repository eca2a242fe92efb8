import type { Harness } from '../portal-harness';
import type { Fixtures, PlatformFixtures } from './fixtures';
import type { Owner } from './owners';

/** How the matrix describes one request per route, and the context a template builds it in. */

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sent form-encoded instead of a JSON body (the OAuth token endpoint). */
  form?: Record<string, string>;
  /** Sent exactly as given. */
  raw?: { contentType: string; body: string };
}

export interface BuildContext {
  h: Harness;
  f: Fixtures;
  /** The platform whose resource the request is about (for platform-independent templates: x-corp). */
  owner: Owner;
  p: PlatformFixtures;
}

export interface RequestTemplate {
  /** Unique: the operationId, or `<operationId>:<variant>`. */
  id: string;
  operationId: string;
  /** What is different about this variant, in the test name. */
  variant?: string;
  /** `per-platform`: run for each platform's resources; `global`: once. */
  scope: 'per-platform' | 'global';
  /** Path parameters and query of the request for callers the policy refuses (and for reads). */
  params?(ctx: BuildContext): Record<string, string>;
  query?(ctx: BuildContext): Record<string, string>;
  /** A valid body, so that a refused caller is refused for who they are, not for what they sent. */
  body?(ctx: BuildContext): unknown | Promise<unknown>;
  form?(ctx: BuildContext): Record<string, string>;
  /** Fresh resources for an allowed caller, where the outcome depends on state (issue, acknowledge, …). */
  allowed?(ctx: BuildContext): Promise<{ params?: Record<string, string>; body?: unknown }>;
  /** Statuses an allowed caller may get (a 400/409 here never names access). */
  ok: number[];
}
