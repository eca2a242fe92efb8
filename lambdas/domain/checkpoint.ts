import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { CheckpointLeaf } from './directory-chain';
import { inclusionProof, merkleRoot, verifyInclusion } from './merkle';
import { IsoInstantSchema } from './notice';
import { GENESIS_HASH, HashSchema } from './notice-event';
import { SIGNATURE_TYPES } from './signature-types';
import * as z from './zod';

/**
 * Signed checkpoints (docs/checkpoints.md): every run commits, in one RFC 9162 Merkle tree, to the head of every
 * chain that changed since the checkpoint before (one leaf per chain: its highest sequence number then and that
 * event's hash), and links to that checkpoint by hash, so the checkpoints form one chain of their own. Each is a
 * compact JWS by the regulator's key (typ `nrp-checkpoint+jws`), and each changed chain gets its inclusion proof.
 */
export const CHECKPOINT_PAYLOAD_TYPE = SIGNATURE_TYPES.checkpoint.payload;
/** The most leaves one checkpoint holds; more changed chains make several checkpoints in one run. */
export const MAX_LEAVES_PER_CHECKPOINT = 1000;

export const CheckpointPayloadSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      typ: z.literal(CHECKPOINT_PAYLOAD_TYPE),
      /** 1, 2, 3 … with no gaps. */
      seq: z.number().check(z.int(), z.gte(1)),
      /** The hash of checkpoint `seq - 1`; 64 zeros for the first. */
      previous: HashSchema,
      issuedAt: IsoInstantSchema,
      treeSize: z.number().check(z.int(), z.gte(1)),
      /** The RFC 9162 Merkle tree hash over the leaves, hex. */
      root: HashSchema,
    }),
    { id: 'CheckpointPayload' },
  ))();
export type CheckpointPayload = z.infer<typeof CheckpointPayloadSchema>;

export const CheckpointRecordSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      seq: z.number().check(z.int(), z.gte(1)),
      /** SHA-256 hex of the JWS payload bytes (the RFC 8785 canonical JSON of `payload`). */
      hash: HashSchema,
      payload: CheckpointPayloadSchema,
      /** Compact JWS (ES256, the regulator's key) over exactly those bytes. */
      jws: z.string(),
    }),
    { id: 'CheckpointRecord' },
  ))();
export type CheckpointRecord = z.infer<typeof CheckpointRecordSchema>;

export const CheckpointLeafSchema = /* @__PURE__ */ (() =>
  z.object({
    chain: z.string().check(z.minLength(1)),
    seq: z.number().check(z.int(), z.gte(1)),
    head: HashSchema,
  }))();

export const InclusionProofSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      checkpointSeq: z.number().check(z.int(), z.gte(1)),
      chain: z.string(),
      /** The chain's length when the checkpoint was made, and the hash of its event `seq` (the leaf). */
      seq: z.number().check(z.int(), z.gte(1)),
      head: HashSchema,
      leafIndex: z.number().check(z.int(), z.gte(0)),
      treeSize: z.number().check(z.int(), z.gte(1)),
      /** The RFC 9162 audit path, from the leaf up, hex. */
      path: z.array(HashSchema),
    }),
    { id: 'InclusionProof' },
  ))();
export type InclusionProof = z.infer<typeof InclusionProofSchema>;

/** The latest complete checkpoint, as receipts and signed notices name it. */
export interface CheckpointRef {
  seq: number;
  hash: string;
}

/** A checkpoint being made: signed and stored with its leaves until every chain's proof is written. */
export interface PendingCheckpoint extends CheckpointRecord {
  status: 'proving' | 'complete';
  /** Present while `proving`; dropped when complete (the proofs hold the same facts, per chain). */
  leaves?: CheckpointLeaf[];
}

/** A leaf's bytes: the canonical JSON of `{chain, seq, head}` (exactly these members). */
export function leafBytes(leaf: CheckpointLeaf): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ chain: leaf.chain, seq: leaf.seq, head: leaf.head }));
}

/** UTF-16 code-unit order, as JavaScript's default sort and RFC 8785 order keys: not locale-dependent. */
export function compareChains(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortLeaves(leaves: readonly CheckpointLeaf[]): CheckpointLeaf[] {
  return [...leaves].sort((a, b) => compareChains(a.chain, b.chain));
}

export function checkpointHash(payload: CheckpointPayload): string {
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}

/** The payload of checkpoint `seq` over sorted `leaves`, after `previous` (undefined for the first). */
export function checkpointPayload(input: {
  seq: number;
  previous?: CheckpointRef;
  issuedAt: string;
  leaves: readonly CheckpointLeaf[];
}): CheckpointPayload {
  const leaves = sortLeaves(input.leaves);
  return {
    typ: CHECKPOINT_PAYLOAD_TYPE,
    seq: input.seq,
    previous: input.previous?.hash ?? GENESIS_HASH,
    issuedAt: input.issuedAt,
    treeSize: leaves.length,
    root: merkleRoot(leaves.map(leafBytes)),
  };
}

/** Every leaf's inclusion proof in checkpoint `checkpointSeq` (leaves in tree order). */
export function proofsFor(checkpointSeq: number, sortedLeaves: readonly CheckpointLeaf[]): InclusionProof[] {
  const bytes = sortedLeaves.map(leafBytes);
  return sortedLeaves.map((leaf, leafIndex) => ({
    checkpointSeq,
    chain: leaf.chain,
    seq: leaf.seq,
    head: leaf.head,
    leafIndex,
    treeSize: sortedLeaves.length,
    path: inclusionProof(bytes, leafIndex),
  }));
}

/** A record as the public endpoints give it: never the leaves (which name every changed chain). */
export function publicRecord(checkpoint: CheckpointRecord): CheckpointRecord {
  return { seq: checkpoint.seq, hash: checkpoint.hash, payload: checkpoint.payload, jws: checkpoint.jws };
}

export type Verdict = { valid: true } | { valid: false; problem: string };

/** One event of a hash chain, as far as linking goes (notice events and directory events alike). */
export interface ChainedEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * Checks that checkpoints `from … to` (consecutive, oldest first) are what they claim: each hash is the hash of its
 * payload, each JWS carries exactly that payload under the checkpoint `typ`, and each names the one before as
 * `previous`. The signatures themselves are the caller's to check, with the regulator's published keys.
 */
export function verifyCheckpointChain(checkpoints: readonly CheckpointRecord[]): Verdict {
  let before: CheckpointRecord | undefined;
  for (const checkpoint of checkpoints) {
    const { payload } = checkpoint;
    if (payload.seq !== checkpoint.seq) return { valid: false, problem: `checkpoint ${checkpoint.seq}: wrong seq` };
    if (checkpointHash(payload) !== checkpoint.hash) {
      return { valid: false, problem: `checkpoint ${checkpoint.seq}: hash does not match its payload` };
    }
    const jwsProblem = jwsMismatch(checkpoint);
    if (jwsProblem) return { valid: false, problem: `checkpoint ${checkpoint.seq}: ${jwsProblem}` };
    if (before && (payload.seq !== before.seq + 1 || payload.previous !== before.hash)) {
      return { valid: false, problem: `checkpoint ${checkpoint.seq} does not follow checkpoint ${before.seq}` };
    }
    if (!before && payload.seq === 1 && payload.previous !== GENESIS_HASH) {
      return { valid: false, problem: 'checkpoint 1 names a previous checkpoint' };
    }
    before = checkpoint;
  }
  return { valid: true };
}

function jwsMismatch(checkpoint: CheckpointRecord): string | undefined {
  const [header, payload, signature] = checkpoint.jws.split('.');
  if (!header || !payload || !signature) return 'the JWS is not compact';
  try {
    const typ = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { typ?: unknown }).typ;
    if (typ !== SIGNATURE_TYPES.checkpoint.header) return `the JWS typ is ${String(typ)}`;
  } catch {
    return 'the JWS header is not JSON';
  }
  if (Buffer.from(payload, 'base64url').toString('utf8') !== canonicalJson(checkpoint.payload)) {
    return 'the JWS signs another payload';
  }
  return undefined;
}

/**
 * The property checkpoints exist for: given a chain's events as shown now, the inclusion proof of a checkpoint,
 * the checkpoints from that one to a later one the verifier obtained independently (`trusted`), and the function
 * that recomputes an event's hash from its content, is the chain as it stood at that checkpoint still exactly what
 * the events say? Any edit, removal, insertion or reordering of an event the checkpoint covers changes the head
 * at the proven sequence number, so the leaf no longer verifies against the signed root.
 */
export function verifyAgainstCheckpoint<E extends ChainedEvent>(input: {
  chain: string;
  events: readonly E[];
  recomputeHash: (event: E) => string;
  proof: InclusionProof;
  /** Checkpoint `proof.checkpointSeq` up to the trusted one, consecutive, oldest first. */
  checkpoints: readonly CheckpointRecord[];
  trusted: CheckpointRef;
}): Verdict {
  const { chain, events, proof, checkpoints, trusted } = input;
  if (proof.chain !== chain) return { valid: false, problem: `the proof is for chain ${proof.chain}` };
  const linked = verifyLinks(events.slice(0, proof.seq), input.recomputeHash);
  if (!linked.valid) return linked;
  const head = events[proof.seq - 1];
  if (!head || head.seq !== proof.seq) return { valid: false, problem: `the chain has no event ${proof.seq}` };
  if (head.hash !== proof.head) return { valid: false, problem: `event ${proof.seq} is not the head the proof names` };

  const [proven] = checkpoints;
  const last = checkpoints.at(-1);
  if (!proven || !last || proven.seq !== proof.checkpointSeq) {
    return { valid: false, problem: `the checkpoints do not start at checkpoint ${proof.checkpointSeq}` };
  }
  if (last.seq !== trusted.seq || last.hash !== trusted.hash) {
    return { valid: false, problem: `the checkpoints do not end at the trusted checkpoint ${trusted.seq}` };
  }
  const sequence = verifyCheckpointChain(checkpoints);
  if (!sequence.valid) return sequence;
  const included = verifyInclusion({
    leaf: leafBytes({ chain, seq: proof.seq, head: head.hash }),
    index: proof.leafIndex,
    treeSize: proven.payload.treeSize,
    path: proof.path,
    root: proven.payload.root,
  });
  return included
    ? { valid: true }
    : { valid: false, problem: `${chain} at ${proof.seq} is not in checkpoint ${proven.seq}` };
}

function verifyLinks<E extends ChainedEvent>(events: readonly E[], recomputeHash: (event: E) => string): Verdict {
  let prevHash = GENESIS_HASH;
  for (const [i, event] of events.entries()) {
    if (event.seq !== i + 1) return { valid: false, problem: `expected event ${i + 1}, found ${event.seq}` };
    if (event.prevHash !== prevHash)
      return { valid: false, problem: `event ${event.seq} does not link to the one before` };
    if (recomputeHash(event) !== event.hash)
      return { valid: false, problem: `event ${event.seq} does not match its hash` };
    prevHash = event.hash;
  }
  return { valid: true };
}
