import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1, over the leaves of a checkpoint: chosen because
 * it is specified to the byte, has independent implementations in every language, and its domain separation
 * (0x00 before a leaf, 0x01 before a node) stops a node being passed off as a leaf. Hashes are lower-case hex.
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

const leafHash = (leaf: Uint8Array) => sha256(LEAF_PREFIX, leaf);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(NODE_PREFIX, left, right);

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) of RFC 9162 §2.1.1; the empty tree's hash is SHA-256 of nothing. */
function treeHash(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leafHash(leaves[0] as Uint8Array);
  const k = split(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

export function merkleRoot(leaves: Uint8Array[]): string {
  return treeHash(leaves).toString('hex');
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the sibling hashes from the leaf up to the root. */
export function inclusionProof(leaves: Uint8Array[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`Leaf ${index} is not in a tree of ${leaves.length} leaves`);
  }
  const path = (m: number, d: readonly Uint8Array[]): Buffer[] => {
    if (d.length === 1) return [];
    const k = split(d.length);
    return m < k
      ? [...path(m, d.slice(0, k)), treeHash(d.slice(k))]
      : [...path(m - k, d.slice(k)), treeHash(d.slice(0, k))];
  };
  return path(index, leaves).map((h) => h.toString('hex'));
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2. Never throws: a malformed proof is false. */
export function verifyInclusion(input: {
  leaf: Uint8Array;
  index: number;
  treeSize: number;
  path: string[];
  root: string;
}): boolean {
  const { leaf, index, treeSize, path, root } = input;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  if (!HEX_HASH.test(root) || !path.every((p) => HEX_HASH.test(p))) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(leaf);
  for (const p of path) {
    const sibling = Buffer.from(p, 'hex');
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root;
}
