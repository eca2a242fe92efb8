import * as z from '../domain/zod';
import { once } from '../runtime/once';
import { ENV, parseEnvironment } from './env';

/** The notices table every stored record lives in (see `adapters/notice-table-design.ts`). */
export interface TableConfig {
  tableName: string;
}

const TableEnv = z.object({ [ENV.tableName]: z.string().check(z.minLength(3)) });

export function parseTableConfig(env: NodeJS.ProcessEnv): TableConfig {
  return { tableName: parseEnvironment(TableEnv, env)[ENV.tableName] };
}

/** The table settings of this process, parsed on first use. */
export const tableConfig = once(() => parseTableConfig(process.env));
