import * as z from '../domain/zod';
import { once } from '../runtime/once';
import { ENV, parseEnvironment, requiredWhen } from './env';

/** How evidence bundle builds are started: an asynchronous Lambda invocation, or a run in this process (local). */
export type BundleBuilderConfig = { builder: 'lambda'; functionName: string } | { builder: 'in-process' };

const BundleEnv = z.object({
  [ENV.bundleBuilder]: z.enum(['lambda', 'in-process']),
  [ENV.bundleBuilderFunction]: z.optional(z.string().check(z.minLength(1))),
});

export function parseBundleConfig(env: NodeJS.ProcessEnv): BundleBuilderConfig {
  const parsed = parseEnvironment(BundleEnv, env);
  if (parsed[ENV.bundleBuilder] === 'in-process') return { builder: 'in-process' };
  const functionName = parsed[ENV.bundleBuilderFunction];
  if (!functionName) throw requiredWhen(ENV.bundleBuilderFunction, `${ENV.bundleBuilder} is lambda`);
  return { builder: 'lambda', functionName };
}

/** This process's bundle builder settings, parsed on first use. */
export const bundleConfig = once(() => parseBundleConfig(process.env));
