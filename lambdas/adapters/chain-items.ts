import { noticeChain, platformKeysChain, REGULATOR_KEYS_CHAIN } from '../domain/directory-chain';

/**
 * Where each kind of chain keeps its events in the table (notice-table-design.ts): a notice's at `NOTICE#<id>` /
 * `EVENT#<seq 6>`, a platform's key log at `PLATFORM#<p>` / `KEYLOG#<seq 10>`, the regulator's at `REGKEYS` /
 * `KEYLOG#<seq 10>`. A chain's inclusion proofs live in the same partition (`PROOF#<checkpoint seq 10>`).
 */
const NOTICE_PREFIX = noticeChain('');
const PLATFORM_KEYS_PREFIX = platformKeysChain('');

export const REGULATOR_KEYS_PK = 'REGKEYS';
export const keyLogSk = (seq: number) => `KEYLOG#${String(seq).padStart(10, '0')}`;
export const proofSk = (checkpointSeq: number) => `PROOF#${String(checkpointSeq).padStart(10, '0')}`;
export const PROOF_PREFIX = 'PROOF#';

export function chainPartition(chain: string): string {
  if (chain.startsWith(NOTICE_PREFIX)) return `NOTICE#${chain.slice(NOTICE_PREFIX.length)}`;
  if (chain.startsWith(PLATFORM_KEYS_PREFIX)) return `PLATFORM#${chain.slice(PLATFORM_KEYS_PREFIX.length)}`;
  if (chain === REGULATOR_KEYS_CHAIN) return REGULATOR_KEYS_PK;
  throw new Error(`Unknown chain ${chain}`);
}

/** The table key of event `seq` of `chain`. */
export function chainEventKey(chain: string, seq: number): { pk: string; sk: string } {
  const pk = chainPartition(chain);
  return { pk, sk: chain.startsWith(NOTICE_PREFIX) ? `EVENT#${String(seq).padStart(6, '0')}` : keyLogSk(seq) };
}
