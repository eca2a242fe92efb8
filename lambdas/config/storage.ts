import * as z from '../domain/zod';
import { once } from '../runtime/once';
import { ConfigError, ENV, parseEnvironment } from './env';

/** Where response files are stored. */
export interface StorageConfig {
  bucket: string;
}

const StorageEnv = z.object({ [ENV.responsesBucket]: z.optional(z.string().check(z.minLength(3))) });

export function parseStorageConfig(env: NodeJS.ProcessEnv): StorageConfig {
  const bucket = parseEnvironment(StorageEnv, env)[ENV.responsesBucket];
  if (!bucket) throw new ConfigError(`Invalid configuration: ${ENV.responsesBucket} is required`);
  return { bucket };
}

/** The response storage settings of this process, parsed on first use. */
export const storageConfig = once(() => parseStorageConfig(process.env));
