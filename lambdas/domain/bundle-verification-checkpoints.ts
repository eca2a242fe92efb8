import { createHash } from 'node:crypto';
import {
  type CheckpointPayload,
  CheckpointPayloadSchema,
  type CheckpointRecord,
  type InclusionProof,
  zodProblems,
} from './bundle-verification-formats';
import { type RegulatorKey, verifyRegulatorJws } from './bundle-verification-keys';
import type { CheckLog } from './bundle-verification-report';
import { canonicalJson } from './canonical-json';
import { verifyInclusion } from './merkle';
import { GENESIS_HASH } from './notice-event';

/**
 * Checkpoints in an evidence bundle. Each is a regulator JWS (typ checkpoint) over canonical JSON; its hash is the
 * SHA-256 of those payload bytes; each names the hash of the one before, so holding any one checkpoint pins every
 * earlier one. An inclusion proof shows that checkpoint N's Merkle root commits to a chain's (seq, head); the head
 * must be the hash of that event in the bundle — so after a checkpoint, any change, removal or reordering of an
 * event it covers changes that head and is detected.
 */
export interface VerifiedCheckpoint {
  seq: number;
  hash: string;
  payload: CheckpointPayload;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A proof is missing if a checkpoint was issued this long after an event and no proof covers the event. */
export const CHECKPOINT_GRACE_MS = 24 * 3_600_000;

export async function verifyCheckpointRecords(
  records: readonly CheckpointRecord[],
  keys: readonly RegulatorKey[],
  checks: CheckLog,
  source: string,
): Promise<VerifiedCheckpoint[]> {
  const verified: VerifiedCheckpoint[] = [];
  for (const record of records) {
    const what = `${source} checkpoint ${record.seq}`;
    const jws = await verifyRegulatorJws({
      jws: record.jws,
      kind: 'checkpoint',
      what,
      keys,
      checks,
      signedAt: (p) => (p as { issuedAt?: string } | null)?.issuedAt,
    });
    if (!jws) continue;
    const parsed = CheckpointPayloadSchema.safeParse(jws.payload);
    if (!parsed.success) {
      checks.fail('checkpoint-signature', `${what}: its payload is not a checkpoint's (${zodProblems(parsed.error)})`);
      continue;
    }
    const payload = parsed.data;
    const bytes = Buffer.from(jws.payloadBytes).toString('utf8');
    const problems: string[] = [];
    if (bytes !== canonicalJson(payload)) problems.push('its signed payload is not canonical JSON (RFC 8785)');
    if (sha256Hex(jws.payloadBytes) !== record.hash) problems.push(`its hash is not ${record.hash}`);
    if (payload.seq !== record.seq) problems.push(`its signed payload says seq ${payload.seq}`);
    if (canonicalJson(record.payload) !== canonicalJson(payload))
      problems.push("the record's payload is not the signed one");
    if (problems.length > 0) {
      for (const p of problems) checks.fail('checkpoint-signature', `${what}: ${p}`);
      continue;
    }
    verified.push({ seq: record.seq, hash: record.hash, payload });
  }
  return verified.sort((a, b) => a.seq - b.seq);
}

/** Contiguous seqs, each naming the previous one's hash (seq 1 names 64 zeros), times in order. */
export function checkCheckpointChain(cps: readonly VerifiedCheckpoint[], checks: CheckLog, source: string): boolean {
  let ok = true;
  for (const [i, cp] of cps.entries()) {
    const before = cps[i - 1];
    if (cp.seq === 1 && cp.payload.previous !== GENESIS_HASH) {
      ok = false;
      checks.fail('checkpoint-chain', `${source} checkpoint 1 names a previous checkpoint; the first names 64 zeros`);
    }
    if (!before) continue;
    if (cp.seq !== before.seq + 1) {
      ok = false;
      checks.fail(
        'checkpoint-chain',
        `${source}: checkpoint ${before.seq} is followed by ${cp.seq}; checkpoints ${before.seq + 1}–${cp.seq - 1} are missing`,
      );
    } else if (cp.payload.previous !== before.hash) {
      ok = false;
      checks.fail(
        'checkpoint-chain',
        `${source}: checkpoint ${cp.seq} does not link to checkpoint ${before.seq} (its previous is not that hash)`,
      );
    }
    if (Date.parse(cp.payload.issuedAt) < Date.parse(before.payload.issuedAt)) {
      ok = false;
      checks.fail('checkpoint-chain', `${source}: checkpoint ${cp.seq} was issued before checkpoint ${before.seq}`);
    }
  }
  if (ok && cps.length > 0) {
    const first = cps[0] as VerifiedCheckpoint;
    const last = cps[cps.length - 1] as VerifiedCheckpoint;
    checks.covered('checkpoint-chain', `${source}: checkpoints ${first.seq}–${last.seq} linked`);
  }
  return ok;
}

/** A checkpoint named by a signed notice or receipt must be the bundle's checkpoint of that seq, issued before. */
export function checkNamedCheckpoint(
  named: { seq: number; hash: string } | undefined,
  signedAt: string,
  cps: readonly VerifiedCheckpoint[],
  checks: CheckLog,
  what: string,
): void {
  if (!named) return;
  const cp = cps.find((c) => c.seq === named.seq);
  if (!cp) {
    const first = cps[0]?.seq;
    if (first !== undefined && named.seq < first) {
      checks.note(
        'checkpoint-chain',
        `${what} names checkpoint ${named.seq}, older than the first in the bundle (${first}); not compared`,
      );
    } else checks.fail('checkpoint-chain', `${what} names checkpoint ${named.seq}, which is not in the bundle`);
    return;
  }
  if (cp.hash !== named.hash) {
    checks.fail(
      'checkpoint-chain',
      `${what} names checkpoint ${named.seq} with another hash than the bundle's checkpoint ${named.seq}`,
    );
  } else if (Date.parse(cp.payload.issuedAt) > Date.parse(signedAt)) {
    checks.fail(
      'checkpoint-chain',
      `${what} was signed at ${signedAt} but names checkpoint ${named.seq}, issued later (${cp.payload.issuedAt})`,
    );
  } else checks.covered('checkpoint-chain', `${what} names checkpoint ${named.seq}`);
}

/** A chain the bundle holds: its events' hashes (index = seq − 1) and times. */
export interface BundleChain {
  chain: string;
  label: string;
  /** Undefined when the bundle's entry for the chain could not be read (its own check says why). */
  heads: readonly { hash: string; at: string }[] | undefined;
}

export function checkInclusion(input: {
  proofs: readonly InclusionProof[];
  cps: readonly VerifiedCheckpoint[];
  chains: readonly BundleChain[];
  checks: CheckLog;
}): Map<string, number> {
  const { proofs, cps, chains, checks } = input;
  const highest = new Map<string, number>();
  for (const proof of proofs) {
    const what = `the proof that checkpoint ${proof.checkpointSeq} covers ${proof.chain} at ${proof.seq}`;
    const chain = chains.find((c) => c.chain === proof.chain);
    if (!chain) {
      checks.fail('checkpoint-inclusion', `${what} is for a chain this bundle does not hold`);
      continue;
    }
    const heads = chain.heads;
    if (!heads) {
      checks.blocked('checkpoint-inclusion', `${what}: ${chain.label} could not be read`);
      continue;
    }
    const cp = cps.find((c) => c.seq === proof.checkpointSeq);
    if (!cp) {
      checks.fail('checkpoint-inclusion', `${what} names a checkpoint that is not (validly) in the bundle`);
      continue;
    }
    if (proof.treeSize !== cp.payload.treeSize) {
      checks.fail(
        'checkpoint-inclusion',
        `${what} is for a tree of ${proof.treeSize} leaves; the checkpoint has ${cp.payload.treeSize}`,
      );
      continue;
    }
    const leaf = new TextEncoder().encode(canonicalJson({ chain: proof.chain, seq: proof.seq, head: proof.head }));
    if (
      !verifyInclusion({
        leaf,
        index: proof.leafIndex,
        treeSize: proof.treeSize,
        path: proof.path,
        root: cp.payload.root,
      })
    ) {
      checks.fail('checkpoint-inclusion', `${what} does not lead to that checkpoint's root`);
      continue;
    }
    const event = heads[proof.seq - 1];
    if (!event) {
      checks.fail(
        'checkpoint-inclusion',
        `checkpoint ${cp.seq} covers ${chain.label} up to event ${proof.seq}, but the bundle has only ${heads.length}: events were removed after the checkpoint`,
      );
      continue;
    }
    if (event.hash !== proof.head) {
      checks.fail(
        'checkpoint-inclusion',
        `checkpoint ${cp.seq} committed to a different event ${proof.seq} of ${chain.label} than the bundle holds: the chain was rewritten after the checkpoint`,
      );
      continue;
    }
    highest.set(chain.chain, Math.max(highest.get(chain.chain) ?? 0, proof.seq));
    checks.covered('checkpoint-inclusion', `checkpoint ${cp.seq} covers ${chain.label} events 1–${proof.seq}`);
  }
  for (const chain of chains) {
    if (!chain.heads) continue;
    const covered = highest.get(chain.chain) ?? 0;
    const firstUncovered = chain.heads[covered];
    if (!firstUncovered) continue;
    const later = cps.find(
      (cp) => Date.parse(cp.payload.issuedAt) - Date.parse(firstUncovered.at) > CHECKPOINT_GRACE_MS,
    );
    if (later) {
      checks.fail(
        'checkpoint-inclusion',
        `${chain.label} event ${covered + 1} (${firstUncovered.at}) is covered by no proof, though checkpoint ${later.seq} was issued more than 24 h later: a proof is missing`,
      );
    } else {
      checks.note(
        'checkpoint-inclusion',
        `${chain.label} events ${covered + 1}–${chain.heads.length} are newer than every checkpoint in the bundle: protected by the hash chain only`,
      );
    }
  }
  return highest;
}

/**
 * What a checkpoint held outside the bundle proves. The regulator holds the signing key, so it could sign a whole
 * new chain of checkpoints over a rewritten history; a checkpoint the reader obtained independently (from the
 * public endpoint at the time, a court record, a newspaper) cannot be re-signed. It pins every checkpoint of the
 * bundle at or before it, when it is one of them (same seq, same hash) or when the records given with it link
 * the bundle's latest checkpoint to it; checkpoints after it are not pinned by it.
 */
export function checkTrusted(input: {
  trusted: readonly VerifiedCheckpoint[];
  cps: readonly VerifiedCheckpoint[];
  checks: CheckLog;
}): void {
  const { trusted, cps, checks } = input;
  const held = trusted[trusted.length - 1];
  if (!held) return;
  const last = cps[cps.length - 1];
  const first = cps[0];
  if (!first || !last) {
    checks.fail('trusted-checkpoint', 'the bundle has no checkpoints for your checkpoint to pin');
    return;
  }
  const inBundle = cps.find((c) => c.seq === held.seq);
  if (inBundle) {
    if (inBundle.hash !== held.hash) {
      checks.fail(
        'trusted-checkpoint',
        `the bundle's checkpoint ${held.seq} is not the one you hold: its hash differs`,
      );
    } else {
      checks.covered(
        'trusted-checkpoint',
        `your checkpoint ${held.seq} is the bundle's; it pins checkpoints ${first.seq}–${held.seq}`,
      );
    }
    return;
  }
  if (held.seq < first.seq) {
    checks.fail(
      'trusted-checkpoint',
      `your checkpoint ${held.seq} is older than the first in the bundle (${first.seq}); it pins none of them`,
    );
    return;
  }
  // Later than the bundle: the records given with it must bridge last+1 … held, each linking to the one before.
  let previous = last;
  for (let seq = last.seq + 1; seq <= held.seq; seq++) {
    const record = trusted.find((t) => t.seq === seq);
    if (!record || record.payload.previous !== previous.hash) {
      checks.fail(
        'trusted-checkpoint',
        `your checkpoint ${held.seq} is later than the bundle's latest (${last.seq}) and ${record ? `checkpoint ${seq} does not link to ${previous.seq}` : `checkpoint ${seq} is missing`}: give checkpoints ${last.seq + 1}–${held.seq} (GET /checkpoints/{seq}) as a JSON array to link them`,
      );
      return;
    }
    previous = record;
  }
  checks.covered(
    'trusted-checkpoint',
    `your checkpoint ${held.seq} links to the bundle's latest (${last.seq}); it pins checkpoints ${first.seq}–${last.seq}`,
  );
}
