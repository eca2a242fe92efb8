import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1, over SHA-256. Chosen over an ad-hoc tree
 * because it is specified to the byte, so an independent verifier in any language can recompute a root and check
 * an inclusion proof from the RFC alone:
 *
 * - leaf hash `SHA-256(0x00 ‖ leaf)`, node hash `SHA-256(0x01 ‖ left ‖ right)` — the distinct prefixes stop a
 *   leaf being passed off as an inner node (second-preimage attacks);
 * - a tree of n > 1 leaves splits at k, the largest power of two smaller than n: left = leaves[0..k), right =
 *   leaves[k..n) (the tree is not padded, so no leaf can be duplicated into it);
 * - the root of the empty tree is SHA-256 of nothing.
 *
 * Hashes are lower-case hex, as every other hash in the portal's record.
 */

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function leafHash(leaf: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, leaf);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOf(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return hashes[0] as Buffer;
  const k = splitPoint(hashes.length);
  return nodeHash(rootOf(hashes.slice(0, k)), rootOf(hashes.slice(k)));
}

/** MTH(D[n]) of RFC 9162 §2.1.1, hex. */
export function merkleRoot(leaves: readonly Uint8Array[]): string {
  return rootOf(leaves.map(leafHash)).toString('hex');
}

function pathOf(hashes: readonly Buffer[], index: number): Buffer[] {
  if (hashes.length <= 1) return [];
  const k = splitPoint(hashes.length);
  return index < k
    ? [...pathOf(hashes.slice(0, k), index), rootOf(hashes.slice(k))]
    : [...pathOf(hashes.slice(k), index - k), rootOf(hashes.slice(0, k))];
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index`, from the leaf up, hex. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`Leaf ${index} is not in a tree of ${leaves.length} leaves.`);
  }
  return pathOf(leaves.map(leafHash), index).map((h) => h.toString('hex'));
}

const HEX_HASH = /^[0-9a-f]{64}$/;

function wellFormed(proof: { index: number; treeSize: number; path: readonly string[]; root: string }): boolean {
  const { index, treeSize, path, root } = proof;
  const inRange = Number.isInteger(index) && Number.isInteger(treeSize) && index >= 0 && index < treeSize;
  return inRange && HEX_HASH.test(root) && path.every((p) => HEX_HASH.test(p));
}

/**
 * Verifies an inclusion proof per RFC 9162 §2.1.3.2: recomputes the root from the leaf and its audit path, using
 * the index and tree size to know at each level whether the sibling is on the left or the right, and checks that
 * the path is used up exactly. Any wrong leaf, index, size, path element or root gives false, never an exception.
 */
export function verifyInclusion(proof: {
  leaf: Uint8Array;
  index: number;
  treeSize: number;
  path: readonly string[];
  root: string;
}): boolean {
  const { index, treeSize, path, root } = proof;
  if (!wellFormed(proof)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(proof.leaf);
  for (const p of path) {
    const sibling = Buffer.from(p, 'hex');
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      // Skip the levels where this node has no right sibling (the right edge of an unbalanced tree).
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root;
}
